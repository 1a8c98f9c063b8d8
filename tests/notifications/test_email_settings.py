"""E-mail settings from the environment: EMAIL_URL in one variable, or EMAIL_HOST and friends, else the
console (nothing configured means nothing leaves the machine)."""

import pytest

from factcheck.settings.base import email_from_env

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_nothing_set_prints_to_the_console():
    assert email_from_env({}) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_an_smtp_url_with_starttls_and_a_password_that_needs_quoting():
    assert email_from_env({"EMAIL_URL": "smtp+tls://desk%40example.org:p%2Fss%40w0rd@mail.example.org"}) == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "desk@example.org",
        "EMAIL_HOST_PASSWORD": "p/ss@w0rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [("smtp://relay:2525", 2525, False, False), ("smtp+ssl://relay", 465, False, True), ("smtp://relay", 25, 0, 0)],
)
def test_smtp_ports_and_security(url, port, tls, ssl):
    found = email_from_env({"EMAIL_URL": url})
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (
        "relay",
        port,
        tls,
        ssl,
    )


def test_a_file_url_writes_messages_to_a_folder():
    assert email_from_env({"EMAIL_URL": "file:///var/mail/desk"}) == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/desk",
    }


def test_host_and_friends_one_by_one():
    found = email_from_env(
        {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": "587", "EMAIL_HOST_USER": "u", "EMAIL_USE_TLS": "true"}
    )
    assert found["EMAIL_BACKEND"] == SMTP and found["EMAIL_PORT"] == 587 and found["EMAIL_USE_TLS"] is True
    assert found["EMAIL_HOST_USER"] == "u" and found["EMAIL_HOST_PASSWORD"] == "" and found["EMAIL_USE_SSL"] is False


def test_an_unknown_scheme_says_which_ones_work():
    with pytest.raises(ValueError, match="use smtp, smtp\\+tls, smtp\\+ssl or console"):
        email_from_env({"EMAIL_URL": "smtps://relay"})


def test_tests_use_the_locmem_backend(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
