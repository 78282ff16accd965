"""Sign-in throttling answers and the password reset addresses.

django-axes counts failed sign-ins; this is what a locked-out client sees: the designed page,
status 429 and `Retry-After` set to the cool-off, so a script knows when to come back.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.core.validators import MaxLengthValidator
from django.shortcuts import render
from django.urls import path


def locked_out(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": seconds // 60}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


class SignInForm(AdminAuthenticationForm):
    """The back office's sign-in form, refusing an over-long user name as a form error.

    Django's form only sets the field's `max_length` for the browser; without a validator an
    over-long name reaches authentication, and the failed sign-in django-axes then records
    overflows its column on PostgreSQL (a 500 instead of a message).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


# Named as the admin expects, so its sign-in page links to the reset.
password_reset_urls = [
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt"
        ),
        name="admin_password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
