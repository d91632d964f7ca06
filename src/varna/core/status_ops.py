"""Operations of the service: whether this process can serve (readiness)."""

from __future__ import annotations

from dataclasses import dataclass

from varna.core.base import VarnaBase
from varna.errors import VarnaError


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether the register loads and the state database answers, and what is wrong if not."""

    register: str | None
    """None when the register loads; otherwise the error, on one line."""
    state: str | None
    """None when the state database answers at the expected schema; otherwise the error."""

    @property
    def ready(self) -> bool:
        return self.register is None and self.state is None


class StatusOps(VarnaBase):
    """Operations: readiness of this process."""

    def readiness(self) -> Readiness:
        """Load the register and open the state database; report each problem, never raise.

        The messages name files and databases, never personal data (Varna's errors never carry
        it); a load balancer takes this process out of rotation while either is set."""
        register_problem = state_problem = None
        try:
            _ = self.register
        except VarnaError as exc:
            register_problem = _one_line(exc)
        try:
            with self.state.read("readiness check"):
                pass
        except VarnaError as exc:
            state_problem = _one_line(exc)
        return Readiness(register_problem, state_problem)


def _one_line(exc: VarnaError) -> str:
    """The whole message on one line (a register error lists every problem on its own line)."""
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
