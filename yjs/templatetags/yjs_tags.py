from django import forms, template

register = template.Library()


@register.filter
def widget_type(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox_multiple"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def yes_no(value) -> str:
    """Y/N/blank flags shown in plain English."""
    if value is None or value == "":
        return "Not recorded"
    return "Yes" if value else "No"


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for sort/page links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
