"""The tables. Bound late to whatever database the caller opens (see ``kiosk.store.db``).

Times are stored as UTC ISO-8601 text ("2026-11-22T18:35:09.123456+00:00"): it sorts, it is
the same on SQLite and PostgreSQL, and there is no timezone guesswork. No column holds a secret
in clear: keys, codes and passwords are hashes; SSNs are a keyed hash plus the last four digits.
"""

from __future__ import annotations

import re

import peewee as pw

from kiosk.errors import Label, ValidationError
from kiosk.text import has_unsafe, unsafe_characters

database_proxy = pw.DatabaseProxy()


class _Guarded:
    """Refuses control and direction characters where any text meets the database.

    Services check what people type and imports check every column with better words (field
    names, ``file:line``); this is the one rule underneath them all, so a column nobody
    remembered to check cannot store an ESC sequence or a bidi override either.
    ``kiosk.store.bulk`` applies the same rule to its prepared statements.
    """

    name: str

    def db_value(self, value: object) -> object:
        if isinstance(value, str) and has_unsafe(value):
            raise unsafe_value(self.name, value)
        return super().db_value(value)  # type: ignore[misc]


def unsafe_value(column: str, value: str) -> ValidationError:
    label = column.replace("_", " ").capitalize()
    chars = ", ".join(unsafe_characters(value))
    return ValidationError("text_control", field=Label(label), chars=chars)


class Text(_Guarded, pw.CharField):
    """A short text column (VARCHAR) that refuses control and direction characters."""


class LongText(_Guarded, pw.TextField):
    """A long text column (TEXT) that refuses control and direction characters."""


class Lines(LongText):
    """A multi-line document (SAML metadata, one URI a line): line breaks and tabs are allowed,
    every other control or direction character is refused."""

    def db_value(self, value: object) -> object:
        if isinstance(value, str) and has_unsafe(_LINE_BREAKS.sub("", value)):
            raise unsafe_value(self.name, _LINE_BREAKS.sub("", value))
        return pw.TextField.db_value(self, value)


_LINE_BREAKS = re.compile("[\t\n\r]")
GUARDED_TEXT = (Text, LongText)


class BaseModel(pw.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = Text()


class School(BaseModel):
    sourced_id = Text(unique=True)
    code = Text(unique=True)
    name = Text()
    active = pw.BooleanField(default=True)


class Student(BaseModel):
    sourced_id = Text(unique=True)
    student_number = Text(index=True)
    given_name = Text()
    family_name = Text()
    #: Folded "given family" for search (see ``kiosk.text.fold``).
    search_name = Text(index=True)
    birth_date = Text(null=True)
    grade = Text(default="")
    school = pw.ForeignKeyField(School, backref="students", on_delete="RESTRICT")
    ssn_hash = Text(null=True)
    ssn_last4 = Text(null=True)
    active = pw.BooleanField(default=True)


class Guardian(BaseModel):
    """A person with a parent or guardian relationship to one or more students."""

    sourced_id = Text(unique=True)
    given_name = Text()
    family_name = Text()
    search_name = Text(index=True)
    email = Text(default="")
    phone = Text(default="")
    #: Digits only, for search and duplicate detection.
    phone_digits = Text(default="", index=True)
    address = Text(default="")
    birth_date = Text(null=True)
    active = pw.BooleanField(default=True)
    #: Set when a registrar merged this duplicate record into another (schema version 2).
    merged_into = pw.ForeignKeyField(
        "self", null=True, backref="merged_records", on_delete="SET NULL"
    )


class Household(BaseModel):
    sourced_id = Text(unique=True)
    name = Text()
    address = Text(default="")
    phone = Text(default="")


class HouseholdGuardian(BaseModel):
    household = pw.ForeignKeyField(Household, backref="guardian_members", on_delete="CASCADE")
    guardian = pw.ForeignKeyField(Guardian, backref="household_memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("household", "guardian"), True),)


class HouseholdStudent(BaseModel):
    household = pw.ForeignKeyField(Household, backref="student_members", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, backref="household_memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("household", "student"), True),)


class Relationship(BaseModel):
    """A guardian-student link with the flags that decide what the portal shows."""

    sourced_id = Text(null=True, unique=True)
    guardian = pw.ForeignKeyField(Guardian, backref="relationships", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, backref="relationships", on_delete="CASCADE")
    relation = Text(default="parent")
    is_guardian = pw.BooleanField(default=True)
    portal_access = pw.BooleanField(default=True)
    custody_restriction = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("guardian", "student"), True),)


class StaffUser(BaseModel):
    username = Text()
    username_norm = Text(unique=True)
    display_name = Text(default="")
    role = Text()  # front_desk | registrar | district_admin
    password_hash = Text()
    enabled = pw.BooleanField(default=True)
    failed_attempts = pw.IntegerField(default=0)
    locked_until = Text(null=True)
    #: When the last counted failure happened; failures older than the lockout time are forgotten.
    last_failure_at = Text(null=True)
    must_change_password = pw.BooleanField(default=False)
    created_at = Text()
    last_sign_in_at = Text(null=True)


class StaffSchool(BaseModel):
    staff = pw.ForeignKeyField(StaffUser, backref="school_links", on_delete="CASCADE")
    school = pw.ForeignKeyField(School, backref="staff_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("staff", "school"), True),)


class PortalRequest(BaseModel):
    """A verified request: who checked which kind of photo ID and watched the signature."""

    guardian = pw.ForeignKeyField(Guardian, backref="requests", on_delete="CASCADE")
    staff = pw.ForeignKeyField(StaffUser, backref="requests", null=True, on_delete="SET NULL")
    staff_name = Text()
    id_type = Text()
    signature_witnessed = pw.BooleanField()
    verified_at = Text()
    kiosk_id = Text()


class PortalRequestStudent(BaseModel):
    request = pw.ForeignKeyField(PortalRequest, backref="student_links", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, on_delete="CASCADE")


class PortalAccount(BaseModel):
    guardian = pw.ForeignKeyField(Guardian, backref="accounts", unique=True, on_delete="RESTRICT")
    username = Text()
    username_norm = Text(unique=True)
    password_hash = Text()
    enabled = pw.BooleanField(default=True)
    locked_until = Text(null=True)
    failed_attempts = pw.IntegerField(default=0)
    last_failure_at = Text(null=True)
    must_change_password = pw.BooleanField(default=False)
    temporary_password_expires_at = Text(null=True)
    recovery_email = Text(null=True)
    recovery_email_verified = pw.BooleanField(default=False)
    #: Folded copy of the verified recovery email, for forgot-username/password look-ups.
    recovery_email_norm = Text(null=True, index=True)
    setup_skips = pw.IntegerField(default=0)
    #: Bumped whenever the password is reset: sessions started under an older epoch end.
    session_epoch = pw.IntegerField(default=0)
    created_at = Text()
    last_sign_in_at = Text(null=True)


class SecurityPreferences(BaseModel):
    """The 16 pictures shown at recovery; which 8 are liked is only kept as a hash."""

    account = pw.ForeignKeyField(
        PortalAccount, backref="preferences", unique=True, on_delete="CASCADE"
    )
    pictures = LongText()  # the 16 picture ids, comma-separated, sorted
    liked_hash = Text()
    updated_at = Text()


class ActivationKey(BaseModel):
    guardian = pw.ForeignKeyField(Guardian, backref="keys", on_delete="CASCADE")
    key_hash = Text(unique=True)
    created_at = Text()
    expires_at = Text()
    redeemed_at = Text(null=True)
    revoked_at = Text(null=True)
    issued_by = Text()
    request = pw.ForeignKeyField(PortalRequest, null=True, on_delete="SET NULL")
    account = pw.ForeignKeyField(PortalAccount, null=True, on_delete="SET NULL")


class EmailCode(BaseModel):
    """A single-use code sent to an address: to confirm it, or to reset a password."""

    account = pw.ForeignKeyField(PortalAccount, backref="email_codes", on_delete="CASCADE")
    purpose = Text()  # verify_email | reset_password
    email = Text()
    code_hash = Text()
    created_at = Text()
    expires_at = Text()
    used_at = Text(null=True)
    attempts = pw.IntegerField(default=0)


class AuditEvent(BaseModel):
    """Append-only and chained: each row's keyed hash covers its content and the previous hash."""

    at = Text()
    kiosk_id = Text()
    actor = Text()
    action = Text(index=True)
    target = Text(default="")
    outcome = Text()
    detail = LongText(default="")
    prev_hash = Text()
    hash = Text(unique=True)
    #: HMAC with the district's key (schema 6); False for the plain SHA-256 of older events.
    keyed = pw.BooleanField(default=False)


class SearchTerm(BaseModel):
    """One searchable word of a student (kind "s") or guardian ("g"); see search_index."""

    term = Text(max_length=100)
    kind = Text(max_length=1)
    ref = pw.IntegerField()


class RateCounter(BaseModel):
    """Hits of one subject in one fixed window of a rate limit (see services.ratelimit)."""

    scope = Text(max_length=64)
    subject = Text(max_length=64)  # a digest, never the address or name itself
    window_start = pw.BigIntegerField()  # Unix seconds
    hits = pw.IntegerField(default=0)
    expires_at = pw.BigIntegerField(index=True)

    class Meta:
        indexes = ((("scope", "subject", "window_start"), True),)


class SignInThrottle(BaseModel):
    """Failed sign-ins with a name that belongs to no account, counted like an account's own
    (``kind`` parent or staff), so delays and locks cannot tell the two apart."""

    kind = Text(max_length=16)
    subject = Text(max_length=64)  # a digest of the name, never the name itself
    failed_attempts = pw.IntegerField(default=0)
    locked_until = Text(null=True)
    last_failure_at = Text(null=True, index=True)

    class Meta:
        indexes = ((("kind", "subject"), True),)


class WebSession(BaseModel):
    """A parent signed in on the web (schema version 7). Only a hash of the cookie's id is kept;
    ``epoch`` is the account's session epoch at sign-in, so a reset or disable ends it."""

    id_hash = Text(unique=True)
    account = pw.ForeignKeyField(PortalAccount, backref="web_sessions", on_delete="CASCADE")
    epoch = pw.IntegerField()
    created_at = Text()
    last_seen_at = Text(index=True)
    #: When the password was last checked in this session (re-authentication refreshes it).
    auth_time = Text()
    #: The parent put off the recovery email and pictures for this session.
    setup_deferred = pw.BooleanField(default=False)


class ServiceProvider(BaseModel):
    """A SAML service provider registered to receive parents' identities (schema version 8)."""

    name = Text(unique=True)
    entity_id = Text(unique=True)
    metadata_xml = Lines()
    profile = Text()  # username | guardian-id | email
    allow_unsolicited = pw.BooleanField(default=False)
    created_at = Text()


class OidcClient(BaseModel):
    """An OpenID Connect relying party; a confidential client's secret is kept only as a hash."""

    name = Text(unique=True)
    client_id = Text(unique=True)
    secret_hash = Text(null=True)
    public = pw.BooleanField(default=False)
    redirect_uris = Lines()  # one exact URI a line
    #: "pairwise" (a different ``sub`` for each client, the default) or "public".
    subject_type = Text(default="pairwise")
    pairwise_salt = Text()
    created_at = Text()


class AuthorizationCode(BaseModel):
    """A single-use, short-lived OpenID Connect authorization code (stored hashed)."""

    code_hash = Text(unique=True)
    client = pw.ForeignKeyField(OidcClient, backref="codes", on_delete="CASCADE")
    account = pw.ForeignKeyField(PortalAccount, on_delete="CASCADE")
    session_epoch = pw.IntegerField()
    redirect_uri = LongText()
    scope = LongText(default="")
    nonce = Text(null=True)
    code_challenge = Text(null=True)
    code_challenge_method = Text(null=True)
    auth_time = pw.IntegerField()
    created_at = Text()
    expires_at = Text()
    used_at = Text(null=True)


class AccessToken(BaseModel):
    """A bearer token for UserInfo (stored hashed); it dies with the parent's session epoch."""

    token_hash = Text(unique=True)
    client = pw.ForeignKeyField(OidcClient, backref="tokens", on_delete="CASCADE")
    account = pw.ForeignKeyField(PortalAccount, on_delete="CASCADE")
    session_epoch = pw.IntegerField()
    scope = LongText(default="")
    created_at = Text()
    expires_at = Text()


FEDERATION_MODELS = [ServiceProvider, OidcClient, AuthorizationCode, AccessToken]

ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    School,
    Student,
    Guardian,
    Household,
    HouseholdGuardian,
    HouseholdStudent,
    Relationship,
    StaffUser,
    StaffSchool,
    PortalRequest,
    PortalRequestStudent,
    PortalAccount,
    SecurityPreferences,
    ActivationKey,
    EmailCode,
    AuditEvent,
    SearchTerm,
    RateCounter,
    SignInThrottle,
    WebSession,
    *FEDERATION_MODELS,
]
