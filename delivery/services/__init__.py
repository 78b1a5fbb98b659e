"""Every write to the delivery plan, split by aggregate. Keyword-only arguments, one transaction each,
permission checked inside (not only in the view), and every change to an activity appended to its
progress updates. Callers use `services.<name>`; the modules are the places they live."""

from .activities import (
    REOPEN_CODE,
    StaleEdit,
    activity_create,
    activity_edit_details,
    activity_record_update,
    progress_update_set_for_panel,
)
from .extracts import extract_generate, extract_request, extract_try_again
from .imports import (
    import_apply,
    import_from_file,
    import_may_apply,
    import_read_and_plan,
    import_remap,
    import_start_apply,
    import_try_again,
    import_upload,
    import_upload_scoped,
    import_validate,
    parse_map_options,
)
from .structure import (
    commitment_create,
    commitment_errors,
    commitment_update,
    objective_create,
    oversight_body_create,
    owner_get_or_create,
    plan_create,
    section_create,
)
from .users import user_set_role

__all__ = [
    "REOPEN_CODE",
    "StaleEdit",
    "activity_create",
    "activity_edit_details",
    "activity_record_update",
    "commitment_create",
    "commitment_errors",
    "commitment_update",
    "extract_generate",
    "extract_request",
    "extract_try_again",
    "import_apply",
    "import_from_file",
    "import_may_apply",
    "import_read_and_plan",
    "import_remap",
    "import_start_apply",
    "import_try_again",
    "import_upload",
    "import_upload_scoped",
    "import_validate",
    "objective_create",
    "oversight_body_create",
    "owner_get_or_create",
    "parse_map_options",
    "plan_create",
    "progress_update_set_for_panel",
    "section_create",
    "user_set_role",
]
