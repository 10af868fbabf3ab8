"""Reading a request to the quote checker (``/check/``): the HTML form, or the JSON API (a JSON
body, or form fields with ``?format=json``), into what to check and what to keep.

What is wrong with the request itself (a body that is not UTF-8, JSON that is not an object,
``text`` that is not a string, a body too large to read) is said here, in a reader's words; what
is wrong with the text (empty, binary, over the limit) is the engine's to say
(``checking.CheckRefused``), so that the page and the API give one message for one fault.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from django import forms
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.validators import ProhibitNullCharactersValidator
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _

from . import checking

JSON_TYPE = "application/json"
# A file sent as the text (``curl -F text=@draft.txt``) is read up to this many bytes: four
# per character at most in UTF-8, so a text within the limit is never cut.
MAX_FILE_BYTES = 4 * checking.MAX_CHARACTERS + 4

NOT_UTF8 = _(
    "The text could not be read: it is not UTF-8. Save it as UTF-8 text (or paste it) and "
    "try again."
)
TOO_LARGE = _(
    "The request is too large to read. The checker takes up to {limit:,} characters of text."
)


class TextField(forms.CharField):
    """The whole draft as sent: not stripped (offsets count in the text as checked), and NUL
    characters left in for the engine to refuse as binary with its own message, rather than
    Django's generic one."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        value = super().to_python(value)
        # A browser sends a textarea's line breaks as CR LF: checked (and shown) as typed.
        return value.replace("\r\n", "\n")


class CheckForm(forms.Form):
    text = TextField(
        label=_("Text to check"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80, "spellcheck": "false"}),
        help_text=_(
            "Paste the whole draft (an article, a transcript): up to {limit:,} characters."
        ).format(limit=checking.MAX_CHARACTERS),
    )
    keep = forms.BooleanField(
        label=_("Keep a permanent link to this report"), required=False, initial=True
    )
    share_text = forms.BooleanField(
        label=_("Include my full text in the shared report"), required=False, initial=False
    )


@dataclass
class CheckRequest:
    """What one POST asks: the text, whether to keep a report, whether with the text; or the
    ``errors`` that keep it from being checked."""

    text: str = ""
    keep: bool = False
    share_text: bool = False
    form: CheckForm | None = None  # the HTML form, bound, to show again with the report
    errors: list = field(default_factory=list)


def wants_json(request):
    """Whether the request is the API's: ``?format=json``, or a JSON body."""
    return request.GET.get("format") == "json" or request.content_type == JSON_TYPE


def read(request):
    """The POST's ``CheckRequest`` (never raises for anything the client sent)."""
    try:
        if request.content_type == JSON_TYPE:
            return _read_json(request.body)
        if request.content_type == "application/x-www-form-urlencoded" and not _utf8_form(
            request.body
        ):
            return CheckRequest(errors=[str(NOT_UTF8)], form=CheckForm())
        return _read_form(request)
    except RequestDataTooBig:
        return CheckRequest(
            errors=[str(TOO_LARGE).format(limit=checking.MAX_CHARACTERS)], form=CheckForm()
        )
    except (SuspiciousOperation, MultiPartParserError, ValueError):
        # Too many fields, a malformed multipart body: Django refuses to parse it.
        return CheckRequest(
            errors=[str(_("The request could not be read as a form."))], form=CheckForm()
        )


def _utf8_form(body):
    """Whether a URL-encoded body's values are UTF-8 (Django would quietly replace the bytes
    that are not, and the checker would check a text nobody wrote)."""
    try:
        parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, UnicodeEncodeError, ValueError):
        return False
    return True


def _read_json(body):
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return CheckRequest(errors=[str(NOT_UTF8)])
    except ValueError:
        return CheckRequest(errors=[str(_("The body is not valid JSON."))])
    if not isinstance(data, dict):
        return CheckRequest(
            errors=[str(_('The body must be a JSON object: {"text": "the text to check"}.'))]
        )
    errors = []
    text = data.get("text", "")
    if not isinstance(text, str):
        errors.append(str(_("“text” must be a string: the text to check.")))
    flags = {}
    for name in ("keep", "share_text"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors.append(str(_("“{name}” must be true or false.")).format(name=name))
        flags[name] = value is True
    if errors:
        return CheckRequest(errors=errors)
    return CheckRequest(text=text, **flags)


def _read_form(request):
    data = request.POST.copy()
    upload = request.FILES.get("text")
    if upload is not None and "text" not in data:
        content = upload.read(MAX_FILE_BYTES + 1)
        try:
            data["text"] = content.decode("utf-8")
        except UnicodeDecodeError:
            # Cut in the middle of a character past the limit is still over the limit.
            if len(content) <= MAX_FILE_BYTES:
                return CheckRequest(errors=[str(NOT_UTF8)], form=CheckForm())
            data["text"] = content.decode("utf-8", errors="replace")
    form = CheckForm(data)
    form.is_valid()  # every field is optional: only the cleaning matters
    cleaned = form.cleaned_data
    return CheckRequest(
        text=cleaned.get("text", ""),
        keep=cleaned.get("keep", False),
        share_text=cleaned.get("share_text", False),
        form=form,
    )
