"""``Varna``: every operation of the service, composed from one class per area."""

from __future__ import annotations

from varna.core.audit_ops import AuditOps
from varna.core.breach_ops import ConsoleBreachOps
from varna.core.centre_ops import CentreOps
from varna.core.consent_ops import ConsentOps
from varna.core.console_ops import ConsoleOps
from varna.core.cookie_ops import CookieOps
from varna.core.demo_ops import DemoOps
from varna.core.discovery_ops import DiscoveryOps
from varna.core.execution_ops import ExecutionOps
from varna.core.key_ops import KeyOps
from varna.core.notice_ops import NoticeOps
from varna.core.policy_notice_ops import PolicyNoticeOps
from varna.core.policy_ops import PolicyOps
from varna.core.register_ops import RegisterOps
from varna.core.request_ops import RequestOps
from varna.core.retention_ops import RetentionOps
from varna.core.rights_ops import RightsOps
from varna.core.scaffold_ops import ScaffoldOps
from varna.core.settings_ops import SettingsOps
from varna.core.staff_ops import StaffOps
from varna.core.status_ops import StatusOps
from varna.core.user_ops import UserOps
from varna.core.webhook_ops import WebhookOps


class Varna(
    ConsoleBreachOps,
    ConsentOps,
    DemoOps,
    ConsoleOps,
    SettingsOps,
    StaffOps,
    UserOps,
    CentreOps,
    PolicyNoticeOps,
    NoticeOps,
    WebhookOps,
    KeyOps,
    ExecutionOps,
    RightsOps,
    RequestOps,
    RegisterOps,
    CookieOps,
    PolicyOps,
    RetentionOps,
    AuditOps,
    StatusOps,
    DiscoveryOps,
    ScaffoldOps,
):
    """Varna for one organisation: its register, its state database, its audit log and the
    operations on them. Nothing is opened until it is used, so building a ``Varna`` is cheap."""
