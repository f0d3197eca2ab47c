from . import dataprotect_plan_wizard
from . import dataprotect_purge_wizard
from . import dataprotect_preview_wizard
from . import dataprotect_erasure_wizard
from . import base_partner_merge_automatic_wizard
from . import dataprotect_incident_wizard
from . import dataprotect_deletion_wizard
from . import dataprotect_access_review
