from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from evident.core.forms import GovukForm

# A 100,000-child council's census is tens of megabytes; anything far larger is not one.
MAX_FILE_BYTES = 200 * 1024 * 1024


class CensusFileForm(GovukForm):
    file = forms.FileField(
        label="Census file",
        help_text="The CIN census XML file, as written by Evident or another system",
        error_messages={"required": "Choose a census XML file to check"},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xml"):
            raise forms.ValidationError("The census file must be an XML file (.xml)")
        if upload.size and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The census file must be smaller than 200 MB")
        return upload
