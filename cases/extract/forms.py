"""The upload form of the browser import."""

from django import forms
from django.template.defaultfilters import filesizeformat

from cases.extract.jobs import max_upload_bytes, zip_source
from cases.extract.reader import UnsafeZip
from yjs.forms import GovukForm


class ImportUploadForm(GovukForm):
    file = forms.FileField(
        label="Zip file of the extract's CSV files",
        help_text="A .zip holding children.csv, offences.csv, outcomes.csv and any of the "
        "other files of the service extract, at the top of the zip or in one folder.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"The file must be smaller than {filesizeformat(max_upload_bytes())}."
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("The file must be a .zip file.")
        # Check the zip's layout and sizes before storing it (zip-bomb safe:
        # only the directory at the end of the zip is read).
        path = getattr(upload, "temporary_file_path", None)
        try:
            zip_source(path() if path else upload)
        except UnsafeZip as error:
            raise forms.ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload
