"""What a merge of two guardian records will change, in words, for the confirmation dialog
(the admin console's Duplicates tool and the linked-students diagnosis share it)."""

from __future__ import annotations

from kiosk.services.duplicates import MergePreview


def preview_text(p: MergePreview) -> str:
    lines = [
        f"Keep {p.keep_id} {p.keep_name}; merge {p.drop_id} {p.drop_name} into it.",
        "Students moving: " + (", ".join(p.students_moving) or "none"),
        "Already linked to both: " + (", ".join(p.students_shared) or "none"),
        f"Households {p.households_moving}, keys {p.keys_moving}, requests {p.requests_moving}.",
    ]
    if p.needs_account_choice:
        lines.append(
            f"Both have portal accounts ({p.keep_account}, {p.drop_account}): choose the one "
            "to keep; the other is disabled."
        )
    elif p.keep_account or p.drop_account:
        lines.append(f"Portal account that stays: {p.keep_account or p.drop_account}.")
    else:
        lines.append("Neither record has a portal account.")
    return "\n".join(lines)


def account_line(p: MergePreview, keep_account: str | None) -> str:
    if keep_account is None:
        return ""
    stays, goes = (p.keep_account, p.drop_account)
    if keep_account == "drop":
        stays, goes = goes, stays
    return f"\nAccount that stays: {stays}. Disabled (kept, findable): {goes}."
