// After htmx replaces an agenda item or a scrutiny review, move focus to what
// changed (the GOV.UK error summary, or the success message) so that keyboard
// and screen reader users learn the result without hunting for it.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  const item = id ? document.getElementById(id) : null;
  if (!item) {
    return;
  }
  const result = item.querySelector(
    ".govuk-error-summary, .govuk-notification-banner, [role=status]"
  );
  if (result) {
    result.setAttribute("tabindex", "-1");
    result.focus();
  }
});
