"""Addresses made from names: "Trump–Putin" → `trump-putin`, "Владимир Путин" →
`vladimir-putin` (python-slugify transliterates any script to Latin; Django's own `slugify`
drops what is not ASCII, and the admin's script drops the dash)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from slugify import slugify


def slug_from(text: str, max_length: int) -> str:
    """The address for `text`, at most `max_length` characters, cut at a word; "" when the
    text has no letters or digits in any script (emoji, punctuation)."""
    return slugify(text, max_length=max_length, word_boundary=True)


def no_letters_message(text: str) -> str:
    return f"“{text}” has no letters or digits to make an address from; enter a slug."


class SlugFromForm(forms.ModelForm):
    """A form whose slug may be left empty: it is made from `slug_source` (a name, a title)
    on the server. A name with nothing to make it from asks for a slug instead of saying
    "This field is required"."""

    slug_source = "name"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = (
                f"The address. Left empty, it is made from the {self.slug_source}, in Latin "
                "letters (“Trump–Putin” → trump-putin)."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "slug" not in self.fields or cleaned.get("slug") or "slug" in self.errors:
            return cleaned
        text = cleaned.get(self.slug_source) or ""
        if not text:
            return cleaned  # the name's own "required" says what is missing
        max_length = self._meta.model._meta.get_field("slug").max_length
        slug = slug_from(text, max_length)
        if slug:
            cleaned["slug"] = slug
        else:
            self.add_error("slug", ValidationError(no_letters_message(text), code="no_letters"))
        return cleaned


def slug_form(form_class: type[forms.ModelForm], source: str) -> type[forms.ModelForm]:
    """`form_class` with a slug made from its `source` field when left empty."""
    return type(form_class.__name__, (SlugFromForm, form_class), {"slug_source": source})
