from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. `<input type="date">` accepts only ISO dates, whatever the
    locale's display format (zh-hans would render 2026/12/03, which the picker shows as empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
