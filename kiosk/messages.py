"""The message catalog: every error code and service answer, as its English sentence.

The English sentence is the gettext msgid; ``kiosk/locale/es/LC_MESSAGES/kiosk.po`` holds the
Spanish. ``PARENT`` lists what a parent can meet (each has Spanish, a test checks);
``STAFF`` is for staff and administrators (screens and the command line, English); ``EMAIL``
(``kiosk.mail_catalog``) is the parents' emails, each in every language the district offers.
``{name}`` parts are filled from the error's parameters by ``kiosk.i18n.explain``.
"""

from __future__ import annotations

from kiosk.i18n import N_
from kiosk.mail_catalog import EMAIL

PARENT: dict[str, str] = {
    # activation keys (kiosk.keys, kiosk.services.activation)
    "empty": N_("Type the activation key: 32 letters and numbers (0-9, A-F)."),
    "key_length": N_(
        "An activation key has 32 letters and numbers; this has {n} ({more}). Check it against "
        "the letter and type it again."
    ),
    "key_chars": N_(
        "An activation key only uses the digits 0-9 and the letters A-F; remove or fix {shown}."
    ),
    "key_chars_o": N_(
        "An activation key only uses the digits 0-9 and the letters A-F; remove or fix "
        "{shown}. The letter O is never used: type the number 0."
    ),
    "key_chars_il": N_(
        "An activation key only uses the digits 0-9 and the letters A-F; remove or fix "
        "{shown}. The letters I and L are never used: type the number 1."
    ),
    "unknown": N_(
        "We could not find that activation key. Check each character against your letter or "
        "email; if it still fails, ask the school's front desk for a new key."
    ),
    "expired": N_("This activation key has expired. Ask the school's front desk for a new one."),
    "revoked": N_(
        "This activation key was replaced by a newer one. Use the newest key you were given, "
        "or ask the front desk for a new one."
    ),
    "used": N_(
        "This activation key has already been used to create an account. The school can look "
        "up your username and reset your password: bring your photo ID to the front desk."
    ),
    "key_first": N_("Type a valid activation key first; then choose a username."),
    "username_taken": N_("The username '{username}' is taken. Choose another one."),
    "username_taken_short": N_("That username is taken; choose another one."),
    "username_check_later": N_(
        "That username will be checked when you create your account; go on for now."
    ),
    # sign-in and session (kiosk.services.credentials, accounts)
    "signin_failed": N_(
        "That username and password did not work. Check them and try again; if it keeps "
        "failing, use 'Forgot username or password' or ask the front desk."
    ),
    "temporary_expired": N_(
        "Your temporary password has expired. Ask the front desk for a new one."
    ),
    "session": N_("Your session has ended. Please sign in again."),
    "crash_restarted": N_(
        "Something went wrong and the kiosk started over. Nothing you typed was kept. If it "
        "happens again, please tell the front desk."
    ),
    "must_change": N_("Choose a new password first."),
    "current_password_wrong": N_("Your current password is not right. Type it again."),
    "password_unchanged": N_("Choose a password different from the current one."),
    "passwords_differ": N_("The two new passwords are different; type the same one twice."),
    "emails_differ": N_("The two email addresses are different; type the same one twice."),
    "email_invalid": N_("{field} does not look like an email address (name@example.org)."),
    "setup_required": N_(
        "Your recovery email and security pictures are needed now; they let you reset your "
        "password yourself."
    ),
    "password_for_pictures": N_("Type your password to change your pictures."),
    "pictures_liked_count": N_("Pick exactly {n} different pictures you like."),
    "pictures_disliked_count": N_("Pick exactly {n} different pictures you dislike."),
    "pictures_both": N_("A picture cannot be both liked and disliked."),
    "pictures_unknown": N_("Pick from the pictures shown."),
    # one-time codes and recovery (kiosk.services.accounts, recovery)
    "code_expired": N_("That code has expired or was already used. Ask for a new code."),
    "code_attempts": N_("Too many wrong codes. Ask for a new code."),
    "code_wrong": N_("That code is not right. Check the newest email; {left} tries left."),
    "code": N_(
        "That code is not right or has expired. Check the newest email, or ask for a new code."
    ),
    "pictures": N_(
        "Those are not the pictures you chose as liked. Try again, or ask the front desk for help."
    ),
    "reset_code_sent": N_(
        "If an account matches, we have sent a code to its recovery email. Check your email; "
        "the code expires in {minutes} minutes."
    ),
    "username_sent": N_(
        "If that email is the recovery email of any account, we have sent the usernames to "
        "it. Check your email."
    ),
    # password and username rules (kiosk.passwords)
    "fix": N_("{problems}"),
    "username_problem": N_("Username: {problem}"),
    "password_problem": N_("Password: {problem}"),
    "password_again_differs": N_(
        "Password: the two passwords are different; type the same one twice."
    ),
    "pw_control": N_("It contains control characters; use letters, digits, spaces, symbols."),
    "pw_too_short": N_("Use at least {n} characters (this has {m})."),
    "pw_too_long": N_("Use at most {n} characters (this has {m})."),
    "pw_letter": N_("Include at least one letter."),
    "pw_digit": N_("Include at least one number."),
    "pw_symbol": N_("Include at least one special character such as @ # $ %."),
    "pw_digit_or_symbol": N_("Include at least one number or symbol."),
    "pw_common": N_("It is a commonly used password that attackers try first."),
    "pw_repeats": N_("It repeats a short pattern; use more different words."),
    "pw_context": N_(
        "It contains '{word}'; do not build it from your username, email, the district or a "
        "school name."
    ),
    "user_spaces": N_("Spaces and control characters are not allowed."),
    "user_too_short": N_("Use at least {n} characters."),
    "user_too_long": N_("Use at most {n} characters."),
    "user_alnum": N_("Use only letters A-Z and numbers 0-9."),
    "user_chars": N_("Use only letters, numbers and . _ - @"),
    "user_all_digits": N_(
        "Include at least one letter: all-number usernames are kept for students."
    ),
    "rule_min_length": N_("At least {n} characters"),
    "rule_letter": N_("A letter"),
    "rule_digit": N_("A number"),
    "rule_symbol": N_("A special character"),
    "rule_digit_or_symbol": N_("A number or symbol"),
    "rule_not_common": N_("Not a common password"),
    "rule_not_context": N_("Not built from your name, username or school"),
    # typed text (kiosk.text)
    "text_type": N_("{field} must be text."),
    "text_control": N_(
        "{field} contains control or direction characters ({chars}); retype it using ordinary "
        "letters, digits and punctuation."
    ),
    "text_required": N_("{field} is required."),
    "text_too_long": N_("{field} is longer than {n} characters; shorten it."),
    # federation: signing in to the district's portals (kiosk.federation)
    "fed_session_ended": N_("Your Front Desk session has ended. Sign in again."),
    "fed_disabled": N_("This account is turned off. Ask the school's front desk for help."),
    "fed_locked": N_(
        "This account is locked after too many failed sign-ins. Wait and try again, or ask the "
        "school's front desk."
    ),
    "fed_must_change": N_("Choose a new password at Front Desk first, then try again."),
    "fed_setup": N_(
        "Finish setting up your account at Front Desk (recovery email and pictures) first."
    ),
    "fed_no_identifier": N_(
        "The school has no email on record for you, which this portal needs. Ask the front "
        "desk to add it."
    ),
    "fed_email_unverified": N_(
        "This portal signs you in by email, and your recovery email is not confirmed yet. "
        "Confirm it in your Front Desk account settings, then try again."
    ),
    "fed_request_missing": N_(
        "The sign-in request from the portal is missing or too large. Go back to the portal "
        "and start again."
    ),
    "fed_request_unreadable": N_(
        "Front Desk could not read the sign-in request from the portal. Go back to the portal "
        "and start again; if it keeps happening, tell the district's IT staff."
    ),
    "fed_sp_unknown": N_(
        "This portal is not registered with Front Desk, so it cannot sign you in. Tell the "
        "district's IT staff (they add it with 'kiosk sps add')."
    ),
    "fed_binding": N_(
        "The portal asked for a response binding Front Desk does not send (only HTTP-POST)."
    ),
    "fed_wrong_acs": N_(
        "The portal asked to receive your sign-in at an address it has not registered (the "
        "AssertionConsumerService URL). Nothing was sent; tell the district's IT."
    ),
    "fed_unsolicited": N_(
        "This portal only accepts sign-ins it asked for. Start from the portal's own sign-in page."
    ),
    "fed_sp_gone": N_("This portal is no longer registered with Front Desk."),
    "fed_logout_unregistered": N_(
        "The app asked to return to an address it has not registered; you are signed out of "
        "Front Desk."
    ),
    "fed_signed_out": N_("You are signed out of Front Desk."),
    "fed_too_large": N_("The request is too large."),
    "fed_app_request": N_(
        "The app's sign-in request cannot be used ({reason}). Go back to the app and try again."
    ),
    # the kiosk itself
    "unexpected": N_("Something went wrong. Please try again, or ask the front desk for help."),
}

STAFF: dict[str, str] = {
    # the guardian card's problems and fixes (kiosk.services.desk_problems)
    "card_key_used": N_(
        "Key already used by {username} (account since {since}): tell the parent the username."
    ),
    "card_disabled": N_("Account {username} is disabled: the parent cannot sign in."),
    "card_locked": N_("Account {username} is locked until {until} ({failures} failed sign-ins)."),
    "card_temporary": N_("Account {username} has a temporary password until {until}."),
    "card_duplicate": N_(
        "A student may be hidden by a duplicate record: {student} is linked to {other}."
    ),
    "card_portal_off": N_("Portal access is off for {student}."),
    "card_custody": N_("Custody restriction: the portal does not show {student}."),
    "card_inactive": N_("{student}'s record or link is inactive in the roster."),
    "card_no_relationship": N_("{student} is in the household but not linked as a guardian's."),
    "card_fix_reset": N_("Forgot the password? Reset password (F8)."),
    "card_fix_enable": N_("Fix: Enable (ctrl+e)."),
    "card_fix_unlock": N_("Fix: Unlock (F4)."),
    "card_fix_temporary": N_("The parent signs in with it and chooses a new password."),
    "card_fix_merge": N_("Fix: Linked students (ctrl+l), then Merge records."),
    "card_duplicate_record": N_("This record is likely a duplicate of {other} ({name}): {why}."),
    "card_fix_merge_other": N_("Only a registrar may merge the records."),
    "card_fix_merge_record": N_("Fix: Duplicate guardians in the admin console, then Merge."),
    "card_fix_portal": N_("Fix: Flags (ctrl+f), after checking guardianship."),
    "card_fix_portal_other": N_("Only a registrar may turn portal access on."),
    "card_fix_custody": N_("Change it in Flags (ctrl+f) only with the court documents."),
    "card_fix_custody_other": N_("Only a registrar may change it, with the court documents."),
    "card_fix_link": N_("Fix: Linked students (ctrl+l), then Add as guardian."),
    "card_fix_link_other": N_("Only a registrar may add the relationship."),
    "card_fix_inactive": N_("Check enrollment in the student information system."),
    "staff_signin_failed": N_(
        "That staff username and password did not work. Check them and try again."
    ),
    "staff_signin_first": N_("Sign in as staff first."),
    "staff_current_password_wrong": N_("The current password is not right. Type it again."),
    "staff_only": N_("Only signed-in staff can do that."),
    "role_forbidden": N_("Your staff role does not allow that. Ask a district admin."),
    "role_invalid": N_("Role must be one of: {roles}."),
    "staff_exists": N_("A staff user named '{username}' already exists."),
    "staff_unknown": N_("No staff user named '{username}'. 'kiosk staff list' shows them all."),
    "staff_needs_school": N_("Front desk and registrar staff need at least one --school."),
    "disable_self": N_("You cannot disable your own staff account."),
    "school_unknown": N_("No school with code '{code}'. Known schools: {known}."),
    "guardian_unknown": N_("No guardian with ID '{id}'. Search by name to find the right ID."),
    "student_unknown": N_("No student with ID '{id}'."),
    "account_unknown": N_(
        "No portal account with username '{username}'. Search by the guardian's or student's "
        "name instead."
    ),
    "guardian_not_served": N_(
        "This guardian's students are not in a school you serve. Ask staff at their school or "
        "a district admin."
    ),
    "student_not_served": N_(
        "This student is not in a school you serve. Ask staff at their school or a district admin."
    ),
    "student_school_not_served": N_("You do not serve this student's school."),
    "named_school_not_served": N_("You do not serve {name}'s school."),
    "no_relationship": N_("There is no relationship between them; add one first."),
    "has_account": N_(
        "This guardian already has a portal account: username '{username}' ({status}). Look up "
        "the account to reset its password, enable or unlock it instead."
    ),
    "id_type_missing": N_("Choose the kind of photo ID you checked."),
    "signature_missing": N_(
        "Watch the parent sign the request form, then tick 'signature witnessed'."
    ),
    "students_missing": N_("Choose at least one student for this request."),
    "guardian_inactive": N_("This guardian record is inactive. Check the roster."),
    "not_recorded_guardian": N_(
        "This person is not recorded as a parent or guardian of student {student}. A registrar "
        "must add the relationship first."
    ),
    "not_a_guardian": N_("This person is not a guardian of {name}."),
    "custody_restriction": N_(
        "A custody restriction prevents portal access to {name}. See the registrar."
    ),
    "portal_access_off": N_(
        "Portal access is turned off for this guardian and {name}. A registrar can turn it on "
        "after checking the household."
    ),
    "no_portal_students": N_(
        "This person has no student they may see in the portal (check the guardian and "
        "portal-access flags with the registrar)."
    ),
    "no_email_on_record": N_(
        "This guardian has no email address on record; print or show the key instead."
    ),
    "key_not_live": N_("That key is no longer live; issue a new one."),
    "proof_missing": N_(
        "Record how the parent proved who they are: photo ID or the guardianship questions."
    ),
    "questions_open": N_(
        "Every guardianship question must be answered correctly before a reset. Still open: "
        "{missing}. Otherwise ask the parent to come in with photo ID."
    ),
    "merge_same": N_("Choose two different guardian records to merge."),
    "merge_already": N_("{record} was already merged into {target}; merge with {target}."),
    "keep_account_choice": N_("--keep-account must be KEEP or DROP."),
    "merge_both_accounts": N_(
        "Both records have a portal account ({keep_account} on {keep}, {drop_account} on "
        "{drop}). Choose which account to keep (--keep-account KEEP or DROP); the other will "
        "be disabled."
    ),
    "bad_moment": N_(
        "--{name} must be a date (2026-11-01) or date and time (2026-11-01T08:00); got '{value}'."
    ),
    "bad_choice": N_("--{option} must be one of: {choices}."),
    "folder_missing": N_("The folder {folder} does not exist; create it."),
    "ssn_format": N_("An SSN has 9 digits (for example 123-45-6789)."),
    # the roster import
    "import_failed": N_(
        "The import could not run (its process failed). Run 'kiosk import oneroster' from the "
        "command line to see why."
    ),
    "roster_rejected": N_(
        "The roster was not imported ({count} problem(s)); nothing was changed. Fix these in "
        "the export and run the import again:\n{problems}{more}"
    ),
    "roster_more": N_("\n... and {n} more"),
    "roster_missing_path": N_("{path} does not exist. Give a folder or a .zip file."),
    "roster_path_kind": N_("{path} is neither a folder nor a zip file of OneRoster CSV files."),
    "roster_stopped": N_(
        "The roster was not imported: the check stopped after {count} problems (there may be "
        "more); nothing was changed. Fix these in the export and run the import again:\n"
        "{problems}{more}"
    ),
    "roster_twice": N_(
        "{path} holds {file} twice ({first} and {second}); keep only one copy of each file in "
        "the export and import it again."
    ),
    "roster_too_big": N_(
        "{path} holds {mb} MB of files, more than the {limit} MB a roster may have ([roster] "
        "max_total_mb in kiosk.toml). Check the export; raise the limit only if the district "
        "really is that large."
    ),
    # mail
    "mail_outbox": N_(
        "Could not write the email to the outbox folder {folder} ({reason}). Check [mail] "
        "outbox_dir in kiosk.toml."
    ),
    "mail_refused": N_(
        "The mail server refused that address. Check the email address and try again."
    ),
    "mail_send": N_(
        "Could not send email through {host}:{port}. Check [mail] in kiosk.toml (or run "
        "'kiosk doctor'), then try again."
    ),
    "mail_unreachable": N_("Cannot reach the mail server {host}:{port}."),
    "mail_disk_full": N_(
        "The disk is full: the email could not be written to {folder}. Free some space, then "
        "try again."
    ),
    # the database
    "db_busy": N_("The database is busy (another kiosk is writing). Wait a moment and try again."),
    "db_not_set_up": N_(
        "The database has not been set up. Run 'kiosk init' (or 'kiosk init --demo')."
    ),
    "db_unreachable": N_(
        "Cannot reach the database. Check [database] url in kiosk.toml and that the server or "
        "file is available, then try again."
    ),
    "db_readonly": N_("The database file is read-only. Give the kiosk user write access to it."),
    "db_error": N_("The database reported an error. Run 'kiosk doctor' to check the set-up."),
    "db_closed": N_("The database connection is closed or unusable. Restart the kiosk."),
    "db_disk_full": N_(
        "The disk is full: nothing was saved. Free some space on the disk that holds the "
        "database (or ask IT to), then try again."
    ),
    "db_lost": N_(
        "The database file {path} was deleted or replaced while the kiosk was running, so "
        "nothing more can be saved. Stop the kiosk, restore the database from its backup (or "
        "run 'kiosk init'), then start it again."
    ),
    "audit_append_only": N_(
        "The audit log is append-only: its events cannot be changed or deleted."
    ),
    "audit_checkpoint_damaged": N_(
        "The audit checkpoint {path} is damaged. Keep it for investigation, restore the last "
        "copy kept elsewhere, and verify again."
    ),
    "audit_checkpoint_forged": N_(
        "The audit checkpoint {path} is not signed with this district's secret: it was edited "
        "or belongs to another installation. Keep it for investigation."
    ),
    "audit_checkpoint_write": N_(
        "Could not write the audit checkpoint {path} ({reason}). Check that the folder exists, "
        "is writable and the disk is not full."
    ),
    "db_newer": N_(
        "This database was written by a newer Front Desk (schema {version}; this one knows up "
        "to {known}). Upgrade Front Desk before using it."
    ),
    "db_older": N_(
        "The database schema is version {version}; run 'kiosk init' to upgrade it to {known}."
    ),
    "db_folder": N_(
        "The folder for the database file does not exist: {folder}. Create it or change "
        "[database] url in kiosk.toml."
    ),
    # configuration (kiosk.config)
    "config_missing": N_(
        "{path}: configuration file not found. Create it (see kiosk.toml in the project) or "
        "point --config / ${env} at an existing file."
    ),
    "config_unreadable": N_("{path}: cannot read the configuration file ({reason})."),
    "config_not_utf8": N_("{path}: the file is not UTF-8 text."),
    "config_toml": N_("{path}: not valid TOML: {detail}. Fix the syntax and try again."),
    "config_unknown_key": N_("{where}: unknown key '{key}'. Allowed keys: {allowed}."),
    "config_schools_list": N_("{where}: 'schools' must be a list of [[schools]] tables."),
    "config_school_fields": N_("{where}: [[schools]] #{index} needs both 'code' and 'name'."),
    "config_school_codes": N_("{where}: school codes must be unique; found {codes}."),
    "config_table": N_("{where} must be a table (key = value lines under [{dotted}])."),
    "config_str_list": N_('{where} must be a list of strings, e.g. ["a", "b"].'),
    "config_bool": N_("{where} must be true or false, not {value}."),
    "config_int": N_("{where} must be a whole number, not {value}."),
    "config_float": N_("{where} must be a number, not {value}."),
    "config_str": N_("{where} must be a string in quotes, not {value}."),
    "config_type": N_("{where}: unsupported setting type."),
    "config_range": N_("{where} must be from {low} to {high}."),
    "config_choice": N_("{where} must be {choices}, not {value}."),
    "config_rule": N_("{where}: {rule}"),
    "signals_env": N_(
        "The kiosk will not start while {env} is set: it would let ctrl+c and ctrl+z stop the "
        "kiosk. Unset it (unset {env}) and start again."
    ),
    "secret_missing": N_(
        "The district secret file {path} is missing. Run 'kiosk init' to create it, or set "
        "KIOSK_SECRET."
    ),
    "postgres_driver_missing": N_(
        "A PostgreSQL database_url needs the PostgreSQL driver, which is not installed. "
        "Install it with: {command}"
    ),
    "fatal": N_("Front Desk stopped because of an unexpected problem. Run 'kiosk doctor'."),
    # federation: registering portals and the signing key (kiosk.federation)
    "fed_https_only": N_("{source} must use https:// (plain http only for localhost)."),
    "fed_fetch_failed": N_(
        "Could not read {source} ({why}). Check the address and that this server can reach it."
    ),
    "fed_no_file": N_("There is no file {source}. Give a metadata file or URL."),
    "fed_too_big": N_("{source} is larger than {limit} bytes ([federation] metadata_max_bytes)."),
    "fed_not_utf8": N_("{source} is not UTF-8 text."),
    "fed_no_key": N_("There is no federation key yet. Run 'kiosk init' first."),
    "fed_key_missing": N_(
        "The federation signing key is missing ({path}). Run 'kiosk init' to create it."
    ),
    "fed_xmlsec": N_(
        "SAML needs Debian's xmlsec1 to sign responses: install it (apt install xmlsec1)."
    ),
    "fed_saml_setup": N_(
        "The SAML identity provider could not start. Run 'kiosk sps list' and 'kiosk doctor' "
        "to check the registrations and the signing key."
    ),
    "fed_metadata_unreadable": N_(
        "{path}: cannot read the metadata file ({reason}). Check the path; the file must be "
        "UTF-8 XML of at most {limit} KB."
    ),
    "fed_not_metadata": N_(
        "That is not SAML metadata for one service provider (an EntityDescriptor). Ask the "
        "portal's administrator for its SP metadata XML."
    ),
    "fed_no_acs": N_(
        "The metadata has no AssertionConsumerService: it does not describe a service provider "
        "Front Desk can send parents to."
    ),
    "fed_acs_not_url": N_("The metadata's AssertionConsumerService {url} is not a URL."),
    "fed_sp_name": N_("Give the service provider a short name, e.g. campus."),
    "fed_profile": N_("Unknown profile {profile}; choose one of {choices}."),
    "fed_sp_taken": N_("A service provider named {name} is already registered."),
    "fed_entity_taken": N_("The entity {entity_id} is already registered."),
    "fed_sp_not_found": N_("No service provider named {name}. 'kiosk sps list' shows them."),
    "fed_client_not_found": N_("No client named {name}. 'kiosk clients list' shows them."),
    "fed_redirect_bad": N_(
        "{uri} is not a usable redirect URI: give the full address, without a #fragment."
    ),
    "fed_redirect_https": N_(
        "{uri} must use https:// (plain http:// only for localhost while testing)."
    ),
    "fed_client_name": N_("Give the client a short name, e.g. powerschool."),
    "fed_redirect_count": N_("Give from 1 to {n} --redirect-uri values."),
    "fed_subject_type": N_('The subject type must be "pairwise" or "public".'),
    "fed_client_taken": N_("A client named {name} is already registered."),
}

#: Field names and words used inside other messages (passed as ``Label`` parameters).
LABELS = (
    N_("Username"),
    N_("Password"),
    N_("Recovery email"),
    N_("Email"),
    N_("Name"),
    N_("missing"),
    N_("too many"),
)

CATALOG: dict[str, str] = {**PARENT, **STAFF, **EMAIL}
