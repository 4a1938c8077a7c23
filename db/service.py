"""The one way in: every action of the GUI and the command line on station data, bound to the
signed-in officer.

Why one object: a rule written once holds everywhere. Each public method names the permission it
needs (``@needs``), checks it before anything runs, and leaves an audit event — for a change, in
the change's own transaction (the functions of db/enrollment.py, db/review.py, db/accounts.py
append it); for a read of personal data, as an event of its own right after. Only reads of
non-personal data (settings, the station's name, the chain's health) leave no trace, and they are
listed as such in :data:`PERMISSIONS`. Plain dataclasses (db/types.py) go in and out.

The officer is bound once. A change of user at the lock screen makes a new bound object
(:meth:`StationService.unlock`); nothing rebinds an existing one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from db import accounts, audit, enrollment, fingerprints, review, settings
from db.actor import Actor
from db.errors import PermissionDenied
from db.permissions import can, require, require_slip
from db.station import StationDB
from db.types import (
    AuditRow,
    BackupReport,
    BackupState,
    CardInfo,
    CardOutcome,
    CaseInfo,
    CoverageList,
    CoverageReport,
    DayEnrollment,
    DraftSummary,
    EnrollmentInfo,
    ExportReport,
    FingerprintInfo,
    FormChoices,
    ImportReport,
    ImportResult,
    NewPrint,
    OfficerInfo,
    QualityReport,
    Renewal,
    ResidentDetail,
    ReviewItem,
    SearchResult,
    Settings,
    StationInfo,
    SyncState,
    VerifyResult,
    VisitInfo,
    VisitPlanResult,
)
from db.vntime import today_local
from db.writing import WaitNotice
from resources.i18n import N_

if TYPE_CHECKING:
    from db.register.importer import Progress
    from db.restore import RestorePlan
    from db.search import Searcher
    from db.sync.identity import Identity
    from db.sync.pairing import PairedInfo
    from db.sync.upload import Upload
    from printing import SlipData, TallyData
    from printing.model import (
        CardListData,
        CoverageData,
        CoverageListData,
        RenewalsData,
        VisitSheetData,
    )

ANY = "any signed-in officer"
NOT_PERSONAL = "non-personal read (not audited)"

#: Public method → the permission it needs (db/permissions.py), or ANY / NOT_PERSONAL.
PERMISSIONS: dict[str, str] = {}

P = ParamSpec("P")
R = TypeVar("R")
Method = Callable[Concatenate["StationService", P], R]


def needs(permission: str) -> Callable[[Method[P, R]], Method[P, R]]:
    """Declare and enforce the permission of a service method (checked before it runs)."""

    def wrap(fn: Method[P, R]) -> Method[P, R]:
        PERMISSIONS[fn.__name__] = permission

        @functools.wraps(fn)
        def run(self: StationService, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if permission not in (ANY, NOT_PERSONAL):
                require(self.actor, permission)
            return fn(self, *args, **kwargs)

        return run

    return wrap


class StationService:
    """The station as the signed-in ``actor`` may use it."""

    def __init__(self, db: StationDB, actor: Actor, *, searcher: Searcher | None = None) -> None:
        self._db = db
        self.actor = actor
        self._searcher = searcher

    def __repr__(self) -> str:
        return f"<StationService {self.actor.username} ({self.actor.role})>"

    def _bound(self, actor: Actor) -> StationService:
        """The same station for another officer (the search cache is shared)."""
        return StationService(self._db, actor, searcher=self._searcher)

    def _trace(self, action: str, entity: str | None = None, entity_id: str | int | None = None,
               details: str | None = None) -> None:  # fmt: skip
        audit.record(self._db, self.actor, action, entity, entity_id, details)

    def allowed(self, permission: str) -> bool:
        """Whether a menu item should be enabled (a courtesy: every method checks anyway)."""
        return can(self.actor, permission)

    # --- the station and the session -----------------------------------------------------

    @needs(NOT_PERSONAL)
    def station(self) -> StationInfo:
        return self._db.info()

    @needs(NOT_PERSONAL)
    def data_folder(self) -> Path:
        """Where the station's files are (the About dialog: what support asks first)."""
        return self._db.data_dir

    @needs(NOT_PERSONAL)
    def settings(self) -> Settings:
        return settings.load(self._db)

    @needs("settings.change")
    def change_setting(self, name: str, value: object) -> Settings:
        return settings.change(self._db, self.actor, name, value)

    @needs(NOT_PERSONAL)
    def on_wait(self, notice: WaitNotice | None) -> None:
        """Be told (from the waiting thread) when a write waits for an import, and when it
        stops waiting: the GUI says so instead of seeming to hang."""
        self._db.writes.notice = notice

    @needs(NOT_PERSONAL)
    def audit_health(self) -> VerifyResult:
        """The cheap start-up check of the audit chain (ids and hashes, nothing personal)."""
        return audit.startup_check(self._db)

    @needs(ANY)
    def lock_screen(self) -> None:
        self._trace("screen.lock", "officer", self.actor.officer_id)

    @needs(ANY)
    def unlock(self, username: str, password: str) -> StationService:
        """Unlock the idle lock: the same officer goes on, or a supervisor takes over (a new
        bound service). Wrong passwords count towards the lockout like a sign-in."""
        who = accounts.sign_in(self._db, username, password, purpose="unlock").actor
        if who.officer_id == self.actor.officer_id:
            return self
        if not can(who, "enrollment.review"):
            audit.record(self._db, who, "user.switch.refused", "officer", self.actor.officer_id)
            raise PermissionDenied(
                N_("Only the officer who locked the screen, or a supervisor, can unlock it.")
            )
        audit.record(self._db, who, "user.switch", "officer", self.actor.officer_id)
        return self._bound(who)

    @needs(ANY)
    def sign_out(self) -> None:
        accounts.sign_out(self._db, self.actor)

    @needs("password.change_own")
    def change_password(self, old: str, new: str) -> None:
        accounts.change_password(self._db, self.actor, old, new)

    # --- residents ------------------------------------------------------------------------

    def _search_engine(self) -> Searcher:
        if self._searcher is None:
            from db.search import Searcher

            self._searcher = Searcher(self._db)
        return self._searcher

    @needs(NOT_PERSONAL)
    def warm_search(self) -> None:
        """Load the search index into the page cache (the first searches are then fast)."""
        self._search_engine().warm()

    @needs(NOT_PERSONAL)
    def register_changed(self) -> None:
        """Forget what the search cached about the register (after an import)."""
        self._search_engine().invalidate()

    @needs("resident.search")
    def search(self, query: str, *, village: str | None = None, limit: int = 50) -> SearchResult:
        """Residents matching ``query``; audited with the number of words, never the words."""
        result = self._search_engine().search(query, village=village, limit=limit)
        self._trace("resident.search", None, None,
                    f"{len(query.split())} words{', village' if village else ''}, "
                    f"{len(result.hits)} results{'+' if result.more else ''}")  # fmt: skip
        return result

    @needs("resident.view")
    def resident(self, resident_id: int) -> ResidentDetail | None:
        from db.residents import resident_detail

        detail = resident_detail(self._db, resident_id)
        if detail is not None:
            self._trace("resident.view", "resident", resident_id)
        return detail

    @needs("resident.add")
    def add_person(self, values: dict[str, Any], *, not_same_as: Sequence[int] = ()) -> int:
        """A person not in the register (form DC01); returns the new resident's id. Refused
        (``LikelySamePerson``) while the register holds someone likely the same (DESIGN §6)
        who is not in ``not_same_as`` (candidates the officer saw and said are someone else)."""
        from db.dc01 import add_resident

        return add_resident(self._db, values, actor=self.actor, not_same_as=not_same_as)

    @needs("resident.search")
    def likely_same_people(self, values: dict[str, Any]) -> list[ResidentDetail]:
        """Who in the register is likely the person of a DC01 form (before adding them);
        audited like a search, with the number of candidates."""
        from db.dc01 import likely_matches
        from db.residents import resident_detail

        found = [d for rid in likely_matches(self._db, values)
                 if (d := resident_detail(self._db, rid)) is not None]  # fmt: skip
        self._trace("resident.search", None, None, f"DC01 check, {len(found)} candidates")
        return found

    @needs(NOT_PERSONAL)
    def form_choices(self) -> FormChoices:
        """The DC01 form's lists: ethnic groups, religions, the register's villages."""
        from db.ethnicities import ETHNICITIES, RELIGIONS

        return FormChoices(ETHNICITIES, RELIGIONS, tuple(self._search_engine().village_names()))

    # --- enrollments ----------------------------------------------------------------------

    @needs("enrollment.edit")
    def start_enrollment(self, resident_id: int, place: str = "hq", *,
                         redo_reason: str | None = None, redo_note: str | None = None
                         ) -> EnrollmentInfo:  # fmt: skip
        """Start a draft; refused (``OpenEnrollmentExists``) while the person has an open
        enrollment, unless the application is redone with a reason ("làm lại hồ sơ")."""
        return enrollment.create_draft(
            self._db, resident_id, place=place, officer_id=self.actor.officer_id,
            redo_reason=redo_reason, redo_note=redo_note, actor=self.actor,
        )  # fmt: skip

    @needs("enrollment.edit")
    def save_step(self, uuid: str, step: str, data: dict[str, Any]) -> None:
        enrollment.save_step(self._db, uuid, step, data, actor=self.actor)

    @needs("enrollment.edit")
    def attach_portrait(
        self, uuid: str, jpeg: bytes, width: int, height: int, quality: dict[str, Any], *,
        attempts: int = 1, bedridden: bool = False, exception_reason: str | None = None,
        note: str | None = None,
    ) -> EnrollmentInfo:  # fmt: skip
        return enrollment.attach_portrait(
            self._db, uuid, jpeg, width, height, quality, attempts, bedridden, exception_reason,
            note, actor=self.actor,
        )  # fmt: skip

    @needs("enrollment.edit")
    def record_exception(self, uuid: str, reason: str, note: str | None = None, *,
                         subject: str = "fingerprints") -> None:  # fmt: skip
        enrollment.record_exception(self._db, uuid, reason, note, subject=subject,
                                    actor=self.actor)  # fmt: skip

    @needs("enrollment.edit")
    def discard(self, uuid: str) -> None:
        enrollment.discard(self._db, uuid, actor=self.actor)

    @needs("enrollment.edit")
    def discard_untouched(self, uuid: str) -> bool:
        """Leaving a person opened by mistake: their draft is discarded if nothing was recorded
        in it (audited as a discard); otherwise it is kept. True when discarded."""
        return enrollment.discard_untouched(self._db, uuid, actor=self.actor)

    @needs("enrollment.edit")
    def drafts(self) -> list[DraftSummary]:
        """The signed-in officer's unfinished enrollments, most recent first."""
        found = enrollment.list_drafts(self._db, self.actor.officer_id)
        self._trace("enrollment.list", None, None, f"{len(found)} unfinished")
        return found

    @needs("enrollment.edit")
    def resume(self, uuid: str) -> tuple[EnrollmentInfo, ResidentDetail | None]:
        """An unfinished enrollment and its resident's record, to reopen the wizard."""
        from db.residents import resident_detail

        info = enrollment.resume(self._db, uuid, self.actor)
        self._trace("enrollment.view", "enrollment", uuid, "resume")
        return info, resident_detail(self._db, info.resident_id)

    @needs("enrollment.review")
    def take_over(self, uuid: str) -> EnrollmentInfo:
        """Make another officer's unfinished enrollment the supervisor's own (audited)."""
        return enrollment.take_over(self._db, uuid, actor=self.actor)

    @needs("enrollment.edit")
    def enrollment(self, uuid: str) -> EnrollmentInfo:
        info = enrollment.get(self._db, uuid)
        self._trace("enrollment.view", "enrollment", uuid)
        return info

    @needs("enrollment.edit")
    def portrait(self, uuid: str) -> bytes | None:
        """The accepted portrait's JPEG (the review step, the slip thumbnail); audited."""
        jpeg = enrollment.portrait_jpeg(self._db, uuid)
        self._trace("portrait.view", "enrollment", uuid)
        return jpeg

    # --- fingerprints (db/fingerprints.py): each finger saved as it is taken ----------------

    @needs("enrollment.edit")
    def record_print(
        self, uuid: str, finger: int, impression: str, image: bytes, image_format: str,
        quality: int, *, device_score: int | None = None, attempts: int = 1,
        attempt_scores: Sequence[int] = (), device: str | None = None,
    ) -> FingerprintInfo:  # fmt: skip
        return fingerprints.record_print(
            self._db, uuid, finger, impression, image, image_format, quality,
            device_score=device_score, attempts=attempts, attempt_scores=attempt_scores,
            device=device, actor=self.actor,
        )  # fmt: skip

    @needs("enrollment.edit")
    def record_prints(self, uuid: str, prints: Sequence[NewPrint]) -> tuple[FingerprintInfo, ...]:
        """The fingers of one slap, kept together (one transaction)."""
        return fingerprints.record_prints(self._db, uuid, prints, actor=self.actor)

    @needs("enrollment.edit")
    def record_finger_condition(
        self, uuid: str, fingers: Sequence[int], impression: str, condition: str,
        note: str | None = None, *, attempts: int = 0, attempt_scores: Sequence[int] = (),
    ) -> tuple[FingerprintInfo, ...]:  # fmt: skip
        return fingerprints.record_condition(
            self._db, uuid, fingers, impression, condition, note, attempts=attempts,
            attempt_scores=attempt_scores, actor=self.actor,
        )  # fmt: skip

    @needs("enrollment.edit")
    def clear_finger(self, uuid: str, finger: int, impression: str) -> None:
        fingerprints.clear(self._db, uuid, finger, impression, actor=self.actor)

    @needs("enrollment.edit")
    def fingerprint_images(self, uuid: str) -> dict[tuple[int, str], tuple[bytes, str]]:
        """(finger, impression) → (image, format) of every print taken; audited (the review
        screen and the supervisor's check)."""
        found = fingerprints.images(self._db, uuid)
        self._trace("fingerprint.view", "enrollment", uuid, f"{len(found)} prints")
        return found

    # --- field sync (db/sync/): pairing ---------------------------------------------------

    @needs("station.pair")
    def identity_file(self) -> bytes:
        """This station's signed public identity (for the other station's administrator)."""
        from db.sync.identity import identity_file

        data = identity_file(self._db)
        self._trace("station.identity", "station", self._db.station_id)
        return data

    @needs(NOT_PERSONAL)
    def own_identity(self) -> Identity:
        from db.sync.identity import own_identity

        return own_identity(self._db)

    @needs(NOT_PERSONAL)
    def preview_identity(self, data: bytes) -> Identity:
        """The station in an identity file, checked, to show its fingerprint before pairing."""
        from db.sync.identity import read_identity

        return read_identity(data)

    @needs("station.pair")
    def pair_station(self, data: bytes) -> PairedInfo:
        from db.sync import pairing

        return pairing.pair(self._db, data, actor=self.actor)

    @needs("station.pair")
    def unpair_station(self, station_id: str) -> PairedInfo:
        from db.sync import pairing

        return pairing.unpair(self._db, station_id, actor=self.actor)

    @needs(NOT_PERSONAL)
    def paired_stations(self) -> list[PairedInfo]:
        from db.sync import pairing

        return pairing.paired(self._db)

    # --- field sync (db/sync/): the trips ----------------------------------------------

    @needs("sync.exchange")
    def sync_export(
        self, target: Path, *, for_station: str | None = None,
        villages: Sequence[str] | None = None, progress: Callable[[int, int], None] | None = None,
    ) -> ExportReport:  # fmt: skip
        """The laptop's return bundle for HQ, or HQ's work packet for the laptop named; the
        file is encrypted to that station alone. Audited (counts, no names)."""
        from db.sync import outgoing

        report = outgoing.export(self._db, target, for_station=for_station,
                                 villages=list(villages) if villages else None,
                                 progress=progress)  # fmt: skip
        self._trace("sync.export_bundle" if report.kind == "bundle" else "sync.export_packet",
                    "station", report.recipient,
                    f"{report.enrollments} enrollments, {report.residents} residents, "
                    f"{report.audit_events} audit events")  # fmt: skip
        return report

    @needs("sync.exchange")
    def sync_import(
        self, path: Path, *, progress: Callable[[int, int], None] | None = None
    ) -> ImportResult:
        """Apply a bundle, work packet or receipt (all or nothing; refusals raise
        :class:`db.sync.refusal.Refused`); audited in the import's own transaction."""
        from db.sync import incoming

        return incoming.import_file(self._db, path, actor=self.actor, progress=progress)

    @needs("sync.exchange")
    def sync_upload(self, url: str, *, for_station: str | None = None) -> Upload:
        """A commune HQ's bundle sent to the hub's ``hub serve`` and its receipt applied
        (db/sync/upload.py); audited with the counts."""
        from db.sync.refusal import Refused
        from db.sync.upload import upload

        try:
            done = upload(self._db, url, actor=self.actor, for_station=for_station)
        except Refused as exc:
            self._trace("sync.upload", "station", for_station, f"refused by the hub: {exc.code}")
            raise
        self._trace("sync.upload", "station", done.export.recipient,
                    f"{done.export.enrollments} enrollments, tries {done.tries}")  # fmt: skip
        return done

    @needs("sync.exchange")
    def sync_receipt(self, laptop: str, target: Path) -> str:
        """HQ's signed receipt for ``laptop`` as a file (after an import)."""
        from db.sync import outgoing

        digest = outgoing.write_receipt(self._db, laptop, target)
        self._trace("sync.receipt", "station", laptop)
        return digest

    @needs(NOT_PERSONAL)
    def sync_state(self) -> SyncState:
        from db.sync import status

        return status.state(self._db)

    @needs("enrollment.review")
    def sync_cases(self) -> list[CaseInfo]:
        """What merges left for the supervisor (the day review shows them)."""
        from db.sync import status

        found = status.cases(self._db)
        self._trace("sync.cases_view", None, None, f"{len(found)} cases")
        return found

    @needs("enrollment.review")
    def resolve_sync_case(self, uuid: str, note: str) -> None:
        from db.events import officer_uuid
        from db.sync import status

        with self._db.Session() as s:
            me = officer_uuid(s, self.actor.officer_id)
        status.resolve(self._db, uuid, note, officer_uuid=me)
        self._trace("sync.case_resolve", "sync_case", uuid,
                    f"note of {len(note.strip())} characters")  # fmt: skip

    @needs("enrollment.edit")
    def submit(self, uuid: str) -> EnrollmentInfo:
        return enrollment.submit(self._db, uuid, actor=self.actor)

    @needs("enrollment.edit")
    def correct(self, uuid: str) -> EnrollmentInfo:
        return enrollment.correct(self._db, uuid, officer_id=self.actor.officer_id,
                                  actor=self.actor)  # fmt: skip

    @needs("enrollment.edit")
    def received_today(self) -> list[DayEnrollment]:
        """What the station received today, newest first, then the officer's own enrollments
        sent back on earlier days and not corrected yet (the desk's list; a returned one
        carries the supervisor's note); audited."""
        from db.tally import day_enrollments

        rows = day_enrollments(self._db, today_local())
        self._trace("enrollment.list", None, None, f"today, {len(rows)} received")
        rows.reverse()  # received in order: the newest first
        seen = {r.uuid for r in rows}
        older = [r for r in enrollment.awaiting_correction(self._db, self.actor.officer_id)
                 if r.uuid not in seen]  # fmt: skip
        return enrollment.with_review_notes(self._db, rows) + older

    @needs(NOT_PERSONAL)
    def find_enrollment(self, ref: str) -> str:
        """An enrollment's uuid from its uuid or slip number (what is printed under the QR)."""
        return enrollment.find_uuid(self._db, ref)

    # --- the supervisor -------------------------------------------------------------------

    @needs("enrollment.review")
    def waiting(self, day: date | None = None) -> list[ReviewItem]:
        from db.review_facts import with_facts

        items = with_facts(self._db, review.waiting(self._db, self.actor, day))
        self._trace("enrollment.list", None, None, f"review, {len(items)} waiting")
        return items

    @needs("enrollment.review")
    def for_review(self, uuid: str) -> tuple[EnrollmentInfo, bytes | None]:
        return review.for_review(self._db, self.actor, uuid)

    @needs("enrollment.review")
    def approve(self, uuid: str, note: str | None = None) -> EnrollmentInfo:
        return review.approve(self._db, uuid, actor=self.actor, note=note)

    @needs("enrollment.review")
    def send_back(self, uuid: str, note: str) -> EnrollmentInfo:
        return review.send_back(self._db, uuid, note=note, actor=self.actor)

    @needs("tally.view")
    def tally(self, first: date, last: date | None = None, *, prepared_by: str = "") -> TallyData:
        from db.tally import compute_tally

        result = compute_tally(self._db, first, last, prepared_by=prepared_by)
        self._trace("tally.view", None, None, f"{first.isoformat()}..{(last or first).isoformat()}")
        return result

    @needs("tally.view")
    def coverage(self, on: date | None = None, village: str | None = None) -> CoverageReport:
        """How far the commune is from everyone enrolled (db/coverage.py): counts only."""
        from db.coverage import coverage

        on = on or today_local()
        report = coverage(self._db, on, village)
        self._trace("coverage.view", None, None, f"{on.isoformat()}..{on.isoformat()}")
        return report

    @needs("tally.view")
    def coverage_sheet(self, report: CoverageReport) -> CoverageData:
        """The report as the printed sheet takes it (the GUI builds the PDF off its thread)."""
        from db.coverage import coverage_sheet

        return coverage_sheet(self._db, report)

    @needs("tally.view")
    def coverage_list(self, state: str, group: str | None = None, village: str | None = None,
                      on: date | None = None, *, home_visits_only: bool = False
                      ) -> CoverageList:  # fmt: skip
        """The residents behind one coverage number (db/coverage_lists.py); the list names
        people, so it is audited (the day, as the counts are)."""
        from db.coverage_lists import coverage_list

        on = on or today_local()
        found = coverage_list(self._db, on, state, group, village,
                              home_visits_only=home_visits_only)  # fmt: skip
        self._trace("coverage.list", None, None, f"{on.isoformat()}..{on.isoformat()}")
        return found

    @needs("tally.view")
    def coverage_list_sheet(self, found: CoverageList) -> CoverageListData:
        """The list as the printed sheet takes it (the GUI builds the PDF off its thread)."""
        from db.coverage_lists import coverage_list_sheet

        return coverage_list_sheet(self._db, found)

    @needs("tally.view")
    def renewals_sheet(self, found: list[Renewal], months: int = 3, on: date | None = None
                       ) -> RenewalsData:  # fmt: skip
        """The renewal list as the printed sheet takes it."""
        from db.renewals import renewals_sheet

        return renewals_sheet(self._db, found, on or today_local(), months)

    @needs("tally.view")
    def day_enrollments(self, day: date, *, include_unfinished: bool = False
                        ) -> list[DayEnrollment]:  # fmt: skip
        from db.tally import day_enrollments

        rows = day_enrollments(self._db, day, include_unfinished=include_unfinished)
        self._trace("enrollment.list", None, None, f"{day.isoformat()}, {len(rows)} rows")
        return rows

    @needs("tally.view")
    def renewals(self, months: int = 3, on: date | None = None) -> list[Renewal]:
        """Who must get a card from 1 January of this year to ``months`` months ahead
        (db/renewals.py); the period is audited: the list names people."""
        from db.renewals import period, renewals

        day = on or today_local()
        found = renewals(self._db, day, months)
        first, last = period(day, months)
        self._trace("renewals.view", None, None, f"{first.isoformat()}..{last.isoformat()}")
        return found

    # --- home visits (db/visits.py) -----------------------------------------------------

    @needs(NOT_PERSONAL)
    def visit_teams(self) -> list[tuple[str, str]]:
        """Who can make visits: this station and its paired laptops (station id, name)."""
        from db.visits import teams

        return teams(self._db)

    @needs("visit.record")
    def flag_for_visit(self, resident_uuid: str, reason: str, note: str | None = None) -> None:
        """Mark a resident as needing a home visit ("none" clears it)."""
        from db.visits import flag

        flag(self._db, self.actor, resident_uuid, reason, note)

    @needs("visit.plan")
    def visit_candidates(self, village: str | None = None) -> list[VisitInfo]:
        """Residents marked for a visit, not enrolled and not on an open visit."""
        from db.visit_lists import flagged

        found = flagged(self._db, village)
        self._trace("visit.list", None, None, f"{len(found)} candidates")
        return found

    @needs("visit.plan")
    def plan_visits(self, resident_uuids: list[str], day: date, team: str, mode: str,
                    note: str | None = None) -> VisitPlanResult:  # fmt: skip
        from db.visits import plan

        return plan(self._db, self.actor, resident_uuids, day, team, mode, note)

    @needs("visit.record")
    def visits(self, first: date, last: date | None = None, *, team: str | None = None,
               open_only: bool = False) -> list[VisitInfo]:  # fmt: skip
        """The visits planned for a day (or a period): the list names people, so it is
        audited."""
        from db.visits import visits

        found = visits(self._db, first, last, team=team, open_only=open_only)
        self._trace("visit.list", None, None, f"{first.isoformat()}..{(last or first).isoformat()}")
        return found

    @needs("visit.record")
    def todays_visits(self) -> list[VisitInfo]:
        """The desk's list: this station's team, today, not yet done."""
        from db.visits import visits

        today = today_local()
        found = visits(self._db, today, team=self._db.station_id, open_only=True)
        self._trace("visit.list", None, None, f"{today.isoformat()}..{today.isoformat()}")
        return found

    @needs("visit.record")
    def record_visit_outcome(self, visit_uuid: str, outcome: str, note: str | None = None,
                             next_day: date | None = None) -> VisitInfo:  # fmt: skip
        from db.visits import record_outcome

        return record_outcome(self._db, self.actor, visit_uuid, outcome, note, next_day=next_day)

    @needs("enrollment.edit")
    def start_visit_enrollment(self, visit_uuid: str) -> EnrollmentInfo:
        """Start the enrollment of a visited person: place "home" when the team went with
        the machines; the visit is linked and closed when the enrollment is submitted."""
        from db.visits import start_point

        require(self.actor, "visit.record")
        resident_id, place = start_point(self._db, visit_uuid)
        return enrollment.create_draft(self._db, resident_id, place=place,
                                       officer_id=self.actor.officer_id, visit_uuid=visit_uuid,
                                       actor=self.actor)  # fmt: skip

    # --- cards that come back and go out (db/cards.py) ------------------------------------

    @needs("card.handle")
    def card(self, ref: str) -> tuple[CardInfo, bytes | None]:
        """The card a slip number, an ID number or a scanned code names, with the portrait
        on file (the handover compares it with the person in front of the officer)."""
        from db.cards import card

        return card(self._db, self.actor, ref)

    @needs("card.handle")
    def cards_arrived(self, refs: Sequence[str]) -> list[CardOutcome]:
        """Cards received from the province: each approved enrollment named becomes
        "card ready" (an event and an audit line each); the others say why not."""
        from db.cards import arrived

        return arrived(self._db, self.actor, refs)

    @needs("card.handle")
    def deliver_card(self, ref: str, place: str, note: str | None = None) -> CardInfo:
        """Hand a card over (``hq`` | ``home`` | ``post``); never twice, never before it
        arrived."""
        from db.cards import deliver

        return deliver(self._db, self.actor, ref, place, note)

    @needs("card.handle")
    def cards_waiting(self, village: str | None = None, *, home_only: bool = False
                      ) -> list[CardInfo]:  # fmt: skip
        """Cards arrived and not handed over yet, by village (the notice list)."""
        from db.cards import waiting

        rows = waiting(self._db, self.actor, village, home_only=home_only)
        self._trace("card.list", None, None, f"{len(rows)} cards")
        return rows

    @needs("card.handle")
    def cards_expected(self, village: str | None = None) -> list[CardInfo]:
        """Approved enrollments whose card has not arrived yet (ticked when a parcel comes)."""
        from db.cards import expected

        rows = expected(self._db, self.actor, village)
        self._trace("card.list", None, None, f"{len(rows)} cards")
        return rows

    @needs("card.handle")
    def cards_handed_over(self, day_from: date, day_to: date | None = None) -> list[CardInfo]:
        """Cards handed over in a period (the handover register's signed lines)."""
        from db.cards import handed_over

        rows = handed_over(self._db, self.actor, day_from, day_to or day_from)
        self._trace("card.list", None, None, f"{len(rows)} cards")
        return rows

    @needs("card.handle")
    def card_list_sheet(self, kind: str, cards: Sequence[CardInfo], village: str | None = None,
                        *, public: bool = False) -> CardListData:  # fmt: skip
        """A card list as the printed sheet takes it: ``waiting`` (the notice list; ``public``:
        to post in the village, ID and phone numbers cut to their last digits) or
        ``handover`` (the register people sign or thumbprint)."""
        from db.card_lists import card_list_sheet

        data: CardListData = card_list_sheet(self._db, kind, cards, village, public=public)
        self._trace("card.print", None, None, f"{len(cards)} cards")
        return data

    @needs("visit.record")
    def visit_sheet(self, day: date, team: str | None = None) -> VisitSheetData:
        """The day's visit list as the printed sheet takes it."""
        from db.visit_lists import visit_sheet

        data: VisitSheetData = visit_sheet(self._db, day, team)
        self._trace("visit.print", None, None, f"{day.isoformat()}..{day.isoformat()}")
        return data

    # --- register quality (db/quality.py) -------------------------------------------------

    @needs("register.clean")
    def register_quality(self, on: date | None = None) -> QualityReport:
        """Likely duplicates and defective records of the register; audited with the counts
        (the report names people)."""
        from db.quality import report

        found = report(self._db, on or today_local())
        self._trace("register.quality", None, None,
                    f"{len(found.duplicates)} groups, {sum(f.count for f in found.findings)} "
                    "findings")  # fmt: skip
        return found

    @needs("register.clean")
    def mark_same_person(self, keep_uuid: str, duplicate_uuid: str) -> None:
        """The second is the same person as the first: it becomes an alias of the kept one."""
        from db.quality import same_person

        same_person(self._db, keep_uuid, duplicate_uuid, actor=self.actor)
        if self._searcher is not None:
            self._searcher.invalidate()

    @needs("register.clean")
    def mark_resident(self, uuid: str, status: str) -> None:
        """Deceased, moved away (no longer counted), or "clear" (counted again)."""
        from db.quality import mark

        mark(self._db, uuid, status, actor=self.actor)

    @needs("register.clean")
    def dismiss_pair(self, uuid_a: str, uuid_b: str) -> None:
        """Two records are not the same person: not proposed again."""
        from db.quality import dismiss

        dismiss(self._db, uuid_a, uuid_b, actor=self.actor)

    @needs("register.clean")
    def fix_resident(self, uuid: str, field: str, value: str) -> None:
        """Correct one register field of a resident (db/quality.FIX_FIELDS), audited."""
        from db.quality import fix

        fix(self._db, uuid, field, value, today_local(), actor=self.actor)
        if self._searcher is not None:
            self._searcher.invalidate()

    # --- paper ----------------------------------------------------------------------------

    @needs("slip.print_own")
    def slip(self, uuid: str, layout: str | None = None) -> SlipData:
        """An appointment slip to print: officers their own enrollments', supervisors any."""
        from db.documents import slip_for

        require_slip(self.actor, enrollment.get(self._db, uuid).officer_id)
        data = slip_for(self._db, uuid, layout=layout)
        self._trace("slip.print", "enrollment", uuid, data.slip_no)
        return data

    @needs("enrollment.edit")
    def information_sheet(self, enrollment_uuid: str, layout: str = "a5") -> bytes:
        """The information sheet the citizen checks and signs or thumbprints (PDF bytes, A5 or
        A4): before submit, or reprinted after; officers their own enrollments', supervisors
        any. It names the person: audited, like a slip."""
        from db.info_sheet import info_sheet_for
        from printing.info_sheet import build_info_sheet

        data = info_sheet_for(self._db, enrollment_uuid, layout, actor=self.actor)
        pdf = build_info_sheet(data)
        self._trace("info_sheet.print", "enrollment", enrollment_uuid,
                    f"paper {data.layout.upper()}")  # fmt: skip
        return pdf

    @needs("pdf.save")
    def pdf_saved(self, what: str, entity_id: str | None = None) -> None:
        """Saving a PDF may put personal data on disk: an explicit, audited action."""
        self._trace("pdf.save", what, entity_id)

    # --- backups -----------------------------------------------------------------------------

    @needs("backup")
    def backup(self, target_dir: Path, progress: Callable[[str], None] | None = None
               ) -> BackupReport:  # fmt: skip
        """A verified, encrypted backup into ``target_dir`` (audited; the desk's last backup)."""
        from db.backup import backup_station

        return backup_station(self._db, self.actor, target_dir, progress=progress)

    @needs(NOT_PERSONAL)
    def backup_state(self) -> BackupState:
        """When the station was last backed up, and whether the desk should remind of it."""
        from db.backup import backup_state

        return backup_state(self._db, settings.load(self._db).backup_warn_days)

    @needs("station.restore")
    def prepare_restore(self, path: Path) -> RestorePlan:
        """Read and prove a backup of this station (nothing is replaced yet): the plan to show
        and then to carry out with ``db.access.finish_restore`` once the station is closed."""
        from db.engine import engine_key
        from db.restore import plan_restore

        plan = plan_restore(path, self._db.data_dir, key=engine_key(self._db.engine))
        self._trace("station.restore_prepared", "station", self._db.station_id,
                    f"backup of {plan.info.created_at.isoformat()[:16]}")
        return plan

    @needs("key.recovery")
    def recovery_sheet_kept(self, how: str) -> None:
        """The sheet was printed or saved ("print" | "save"): audited, never its content."""
        from db.station_setup import record_sheet

        record_sheet(self._db, self.actor, how)

    # --- the register and the accounts ----------------------------------------------------

    @needs("register.import")
    def import_register(self, path: Path, progress: Progress | None = None) -> ImportReport:
        """Import a register file (all or nothing); the import and its counts are audited."""
        from db.register.importer import import_register

        with self._db.writes.long_write():  # a second import is refused at once
            report = import_register(self._db, path, progress=progress)
        self._trace("register.import", "import_batch", report.batch_id or None,
                    f"{report.rows} rows: {report.added} added, {report.updated} updated, "
                    f"{report.rejected} rejected")  # fmt: skip
        if self._searcher is not None:
            self._searcher.invalidate()
        return report

    @needs("officer.list")
    def officers(self, *, include_disabled: bool = True) -> list[OfficerInfo]:
        found = accounts.list_officers(self._db, self.actor, include_disabled=include_disabled)
        self._trace("officer.list", None, None, f"{len(found)} accounts")
        return found

    @needs("officer.manage")
    def create_officer(self, username: str, full_name: str, role: str, password: str, *,
                       temporary: bool = True) -> OfficerInfo:  # fmt: skip
        return accounts.create_officer(self._db, self.actor, username, full_name, role, password,
                                       temporary=temporary)  # fmt: skip

    @needs("officer.manage")
    def set_officer_active(self, username: str, active: bool) -> OfficerInfo:
        return accounts.set_active(self._db, self.actor, username, active)

    @needs("officer.reset_password")
    def reset_password(self, username: str, temporary_password: str) -> None:
        accounts.reset_password(self._db, self.actor, username, temporary_password)

    @needs("officer.reset_password")
    def unlock_officer(self, username: str) -> OfficerInfo:
        """Lift a sign-in lockout (officers' accounts for a supervisor, any for an admin)."""
        return accounts.unlock_officer(self._db, self.actor, username)

    # --- the audit trail ------------------------------------------------------------------

    @needs("audit.view")
    def audit_events(self, *, day: date | None = None, officer: str | None = None,
                     action: str | None = None, limit: int = 1000,
                     exact: bool = False) -> list[AuditRow]:  # fmt: skip
        """Events newest first; ``action`` is a prefix ("enrollment."), or with ``exact`` one
        action. Each names its officer and subject, resolved for this reader."""
        rows = audit.show(self._db, self.actor, day=day, officer=officer, action=action,
                          limit=limit, exact=exact)  # fmt: skip
        self._trace("audit.show", None, None, f"{len(rows)} events")
        return rows

    @needs("audit.view")
    def verify_audit(self, progress: Callable[[int], None] | None = None) -> VerifyResult:
        result = audit.verify(self._db, progress)
        self._trace("audit.verify", None, None,
                    "ok" if result.ok else f"broken at #{result.first_broken}")  # fmt: skip
        return result
