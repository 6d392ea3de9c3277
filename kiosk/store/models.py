"""The tables. Bound late to whatever database the caller opens (see ``kiosk.store.db``).

Times are stored as UTC ISO-8601 text ("2026-11-22T18:35:09.123456+00:00"): it sorts, it is
the same on SQLite and PostgreSQL, and there is no timezone guesswork. No column holds a secret
in clear: keys, codes and passwords are hashes; SSNs are a keyed hash plus the last four digits.
"""

from __future__ import annotations

import peewee as pw

database_proxy = pw.DatabaseProxy()


class BaseModel(pw.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = pw.CharField()


class School(BaseModel):
    sourced_id = pw.CharField(unique=True)
    code = pw.CharField(unique=True)
    name = pw.CharField()
    active = pw.BooleanField(default=True)


class Student(BaseModel):
    sourced_id = pw.CharField(unique=True)
    student_number = pw.CharField(index=True)
    given_name = pw.CharField()
    family_name = pw.CharField()
    #: Folded "given family" for search (see ``kiosk.text.fold``).
    search_name = pw.CharField(index=True)
    birth_date = pw.CharField(null=True)
    grade = pw.CharField(default="")
    school = pw.ForeignKeyField(School, backref="students", on_delete="RESTRICT")
    ssn_hash = pw.CharField(null=True)
    ssn_last4 = pw.CharField(null=True)
    active = pw.BooleanField(default=True)


class Guardian(BaseModel):
    """A person with a parent or guardian relationship to one or more students."""

    sourced_id = pw.CharField(unique=True)
    given_name = pw.CharField()
    family_name = pw.CharField()
    search_name = pw.CharField(index=True)
    email = pw.CharField(default="")
    phone = pw.CharField(default="")
    #: Digits only, for search and duplicate detection.
    phone_digits = pw.CharField(default="", index=True)
    address = pw.CharField(default="")
    birth_date = pw.CharField(null=True)
    active = pw.BooleanField(default=True)
    #: Set when a registrar merged this duplicate record into another (schema version 2).
    merged_into = pw.ForeignKeyField(
        "self", null=True, backref="merged_records", on_delete="SET NULL"
    )


class Household(BaseModel):
    sourced_id = pw.CharField(unique=True)
    name = pw.CharField()
    address = pw.CharField(default="")
    phone = pw.CharField(default="")


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

    sourced_id = pw.CharField(null=True, unique=True)
    guardian = pw.ForeignKeyField(Guardian, backref="relationships", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, backref="relationships", on_delete="CASCADE")
    relation = pw.CharField(default="parent")
    is_guardian = pw.BooleanField(default=True)
    portal_access = pw.BooleanField(default=True)
    custody_restriction = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("guardian", "student"), True),)


class StaffUser(BaseModel):
    username = pw.CharField()
    username_norm = pw.CharField(unique=True)
    display_name = pw.CharField(default="")
    role = pw.CharField()  # front_desk | registrar | district_admin
    password_hash = pw.CharField()
    enabled = pw.BooleanField(default=True)
    failed_attempts = pw.IntegerField(default=0)
    locked_until = pw.CharField(null=True)
    must_change_password = pw.BooleanField(default=False)
    created_at = pw.CharField()
    last_sign_in_at = pw.CharField(null=True)


class StaffSchool(BaseModel):
    staff = pw.ForeignKeyField(StaffUser, backref="school_links", on_delete="CASCADE")
    school = pw.ForeignKeyField(School, backref="staff_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("staff", "school"), True),)


class PortalRequest(BaseModel):
    """A verified request: who checked which kind of photo ID and watched the signature."""

    guardian = pw.ForeignKeyField(Guardian, backref="requests", on_delete="CASCADE")
    staff = pw.ForeignKeyField(StaffUser, backref="requests", null=True, on_delete="SET NULL")
    staff_name = pw.CharField()
    id_type = pw.CharField()
    signature_witnessed = pw.BooleanField()
    verified_at = pw.CharField()
    kiosk_id = pw.CharField()


class PortalRequestStudent(BaseModel):
    request = pw.ForeignKeyField(PortalRequest, backref="student_links", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, on_delete="CASCADE")


class PortalAccount(BaseModel):
    guardian = pw.ForeignKeyField(Guardian, backref="accounts", unique=True, on_delete="RESTRICT")
    username = pw.CharField()
    username_norm = pw.CharField(unique=True)
    password_hash = pw.CharField()
    enabled = pw.BooleanField(default=True)
    locked_until = pw.CharField(null=True)
    failed_attempts = pw.IntegerField(default=0)
    must_change_password = pw.BooleanField(default=False)
    temporary_password_expires_at = pw.CharField(null=True)
    recovery_email = pw.CharField(null=True)
    recovery_email_verified = pw.BooleanField(default=False)
    #: Folded copy of the verified recovery email, for forgot-username/password look-ups.
    recovery_email_norm = pw.CharField(null=True, index=True)
    setup_skips = pw.IntegerField(default=0)
    #: Bumped whenever the password is reset: sessions started under an older epoch end.
    session_epoch = pw.IntegerField(default=0)
    created_at = pw.CharField()
    last_sign_in_at = pw.CharField(null=True)


class SecurityPreferences(BaseModel):
    """The 16 pictures shown at recovery; which 8 are liked is only kept as a hash."""

    account = pw.ForeignKeyField(
        PortalAccount, backref="preferences", unique=True, on_delete="CASCADE"
    )
    pictures = pw.TextField()  # the 16 picture ids, comma-separated, sorted
    liked_hash = pw.CharField()
    updated_at = pw.CharField()


class ActivationKey(BaseModel):
    guardian = pw.ForeignKeyField(Guardian, backref="keys", on_delete="CASCADE")
    key_hash = pw.CharField(unique=True)
    created_at = pw.CharField()
    expires_at = pw.CharField()
    redeemed_at = pw.CharField(null=True)
    revoked_at = pw.CharField(null=True)
    issued_by = pw.CharField()
    request = pw.ForeignKeyField(PortalRequest, null=True, on_delete="SET NULL")
    account = pw.ForeignKeyField(PortalAccount, null=True, on_delete="SET NULL")


class EmailCode(BaseModel):
    """A single-use code sent to an address: to confirm it, or to reset a password."""

    account = pw.ForeignKeyField(PortalAccount, backref="email_codes", on_delete="CASCADE")
    purpose = pw.CharField()  # verify_email | reset_password
    email = pw.CharField()
    code_hash = pw.CharField()
    created_at = pw.CharField()
    expires_at = pw.CharField()
    used_at = pw.CharField(null=True)
    attempts = pw.IntegerField(default=0)


class AuditEvent(BaseModel):
    """Append-only and chained: each row's keyed hash covers its content and the previous hash."""

    at = pw.CharField()
    kiosk_id = pw.CharField()
    actor = pw.CharField()
    action = pw.CharField(index=True)
    target = pw.CharField(default="")
    outcome = pw.CharField()
    detail = pw.TextField(default="")
    prev_hash = pw.CharField()
    hash = pw.CharField(unique=True)
    #: HMAC with the district's key (schema 6); False for the plain SHA-256 of older events.
    keyed = pw.BooleanField(default=False)


class SearchTerm(BaseModel):
    """One searchable word of a student (kind "s") or guardian ("g"); see search_index."""

    term = pw.CharField(max_length=100)
    kind = pw.CharField(max_length=1)
    ref = pw.IntegerField()


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
]
