//! 事件 — what happened, as a decision asks it to be logged: its kind, the case and task it
//! concerns, who did it (for whom), and the state before and after. The engine appends it in the
//! same transaction as the change; events are never updated or deleted.

use serde_json::Value;
use uuid::Uuid;

macro_rules! event_kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// What happened.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EventKind {
            $($(#[$doc])* $variant,)*
        }

        impl EventKind {
            /// The stored (and GraphQL) name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $name,)*
                }
            }
        }
    };
}

event_kinds! {
    /// A case was opened at the window.
    CaseOpened => "CASE_OPENED",
    /// A case was accepted (受理); its clock started.
    CaseAccepted => "CASE_ACCEPTED",
    /// A task was created for a department.
    TaskCreated => "TASK_CREATED",
    /// A department submitted its opinion.
    OpinionSubmitted => "OPINION_SUBMITTED",
    /// A task was resolved.
    TaskResolved => "TASK_RESOLVED",
    /// A department asked for material; its task waits for the applicant.
    TaskAwaitingSupplement => "TASK_AWAITING_SUPPLEMENT",
    /// The applicant's material arrived; the task is open again.
    TaskReopened => "TASK_REOPENED",
    /// The task was cancelled (the case was withdrawn or ended).
    TaskCancelled => "TASK_CANCELLED",
    /// A task moved to a stand-in or back (AB post).
    TaskReassigned => "TASK_REASSIGNED",
    /// A task was transferred with a reason (转办).
    TaskTransferred => "TASK_TRANSFERRED",
    /// The deadline passed with no opinion and the matter deems consent (默认同意).
    TaskDeemedApproved => "TASK_DEEMED_APPROVED",
    /// The last task resolved; the case waits for the lead window's decision.
    CaseAwaitingDecision => "CASE_AWAITING_DECISION",
    /// The lead window decided the case.
    CaseDecided => "CASE_DECIDED",
    /// The lead window approved over a department's objection; it was told in writing.
    ObjectionOverruled => "OBJECTION_OVERRULED",
    /// A special procedure suspended the case; its clocks stand still.
    CaseSuspended => "CASE_SUSPENDED",
    /// The case resumed; its clocks count again.
    CaseResumed => "CASE_RESUMED",
    /// The one-time supplement notice was issued.
    SupplementRequested => "SUPPLEMENT_REQUESTED",
    /// The applicant's material arrived.
    MaterialsResubmitted => "MATERIALS_RESUBMITTED",
    /// The case's limit was extended once.
    CaseExtended => "CASE_EXTENDED",
    /// A denial, non-acceptance or return was filed for signature.
    NegativeReportFiled => "NEGATIVE_REPORT_FILED",
    /// The report was signed; its outcome took effect.
    NegativeReportSigned => "NEGATIVE_REPORT_SIGNED",
    /// The report was declined; the case goes on.
    NegativeReportDeclined => "NEGATIVE_REPORT_DECLINED",
    /// A consultation was answered.
    CaseAnswered => "CASE_ANSWERED",
    /// The case was reported to the upper authority.
    CaseReportedUp => "CASE_REPORTED_UP",
    /// The upper authority answered.
    UpperAnswerRecorded => "UPPER_ANSWER_RECORDED",
    /// The result reached the applicant (送达).
    ResultDelivered => "RESULT_DELIVERED",
    /// The case was archived.
    CaseArchived => "CASE_ARCHIVED",
    /// The applicant withdrew the case.
    CaseWithdrawn => "CASE_WITHDRAWN",
    /// A notice went to the applicant.
    NoticeIssued => "NOTICE_ISSUED",
    /// An absence was recorded.
    AbsenceRecorded => "ABSENCE_RECORDED",
    /// Every holder of a post is away; nobody can work the department's tasks.
    DepartmentUnstaffed => "DEPARTMENT_UNSTAFFED",
    /// The escalation ladder fired a step (reminder, due, 黄牌, 红牌, daily reminder).
    Escalated => "ESCALATED",
    /// 立项: a supervision item was opened by hand.
    SupervisionOpened => "SUPERVISION_OPENED",
    /// 承办: somebody answers for a supervision item, by a reply deadline.
    SupervisionAssigned => "SUPERVISION_ASSIGNED",
    /// 督办: a supervision item was chased.
    SupervisionChased => "SUPERVISION_CHASED",
    /// 反馈: the department answered a supervision item.
    SupervisionAnswered => "SUPERVISION_ANSWERED",
    /// 归档: a supervision item was closed.
    SupervisionArchived => "SUPERVISION_ARCHIVED",
    /// 投诉: a complaint was taken down.
    ComplaintFiled => "COMPLAINT_FILED",
    /// A department replied to a complaint.
    ComplaintReplied => "COMPLAINT_REPLIED",
    /// The centre found a replied complaint verified or not upheld.
    ComplaintVerified => "COMPLAINT_VERIFIED",
    /// A follow-up alert about a supervision item's or complaint's reply deadline.
    FollowUpAlerted => "FOLLOW_UP_ALERTED",
    /// The applicant evaluated the case (好差评).
    CaseEvaluated => "CASE_EVALUATED",
    /// A score entry was written by hand (a written thanks…).
    ScoreRecorded => "SCORE_RECORDED",
    /// The centre admin changed a scoring rule's points.
    ScoringRuleChanged => "SCORING_RULE_CHANGED",
    /// A centre admin saved a version of a year's holiday schedule.
    CalendarYearSet => "CALENDAR_YEAR_SET",
    /// A deadline runs into a year whose holiday schedule has not been entered.
    CalendarYearMissing => "CALENDAR_YEAR_MISSING",
    /// 急事急办: the lead window marked the case urgent.
    CaseMarkedUrgent => "CASE_MARKED_URGENT",
    /// 办事指南: a centre admin published a version of a matter's service guide.
    ServiceGuidePublished => "SERVICE_GUIDE_PUBLISHED",
    /// 预约: an online booking (or holiday request) waits for the code mailed to the applicant.
    AppointmentPending => "APPOINTMENT_PENDING",
    /// An online booking was not confirmed in time, or too many wrong codes were entered.
    AppointmentLapsed => "APPOINTMENT_LAPSED",
    /// 预约: a slot or a home visit was booked.
    AppointmentBooked => "APPOINTMENT_BOOKED",
    /// The applicant was reminded of the booking, the working day before.
    AppointmentReminded => "APPOINTMENT_REMINDED",
    /// The applicant came (or was visited) and the booking became a case.
    AppointmentReceived => "APPOINTMENT_RECEIVED",
    /// 爽约: the applicant did not come.
    AppointmentMissed => "APPOINTMENT_MISSED",
    /// The centre called a booking off.
    AppointmentCancelled => "APPOINTMENT_CANCELLED",
    /// 节假日预约: an applicant asked for service on a weekend or holiday.
    HolidayServiceRequested => "HOLIDAY_SERVICE_REQUESTED",
    /// The duty officer summoned window staff for a holiday request.
    WindowStaffSummoned => "WINDOW_STAFF_SUMMONED",
    /// A centre admin set up or changed a service window.
    ServiceWindowSaved => "SERVICE_WINDOW_SAVED",
    /// 值班: a centre admin set a day's duty officers.
    DutyRosterSet => "DUTY_ROSTER_SET",
    /// Nobody is on duty on a coming day; the centre admin was told.
    DutyGapAlerted => "DUTY_GAP_ALERTED",
    /// The centre was set up (the first centre admin, by `lianban admin create`).
    CentreCreated => "CENTRE_CREATED",
    /// A centre admin created or changed a department.
    DepartmentSaved => "DEPARTMENT_SAVED",
    /// A centre admin deactivated a department (it is never deleted).
    DepartmentDeactivated => "DEPARTMENT_DEACTIVATED",
    /// A centre admin created or changed a staff member (department, roles, identity).
    StaffSaved => "STAFF_SAVED",
    /// A centre admin deactivated a staff member; their tasks moved, their sessions ended.
    StaffDeactivated => "STAFF_DEACTIVATED",
    /// A post was created, or its A and B holders changed (AB岗安排).
    PostSaved => "POST_SAVED",
    /// A person changed their own password.
    PasswordChanged => "PASSWORD_CHANGED",
    /// A centre admin reset a person's password (a link by mail, or a temporary password).
    PasswordReset => "PASSWORD_RESET",
    /// A centre admin ended every session of a person.
    SessionsEnded => "SESSIONS_ENDED",
    /// An organisation import was written.
    OrganisationImported => "ORGANISATION_IMPORTED",
}

/// An event about to be written.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// What happened.
    pub kind: EventKind,
    /// The case it concerns.
    pub case_id: Option<Uuid>,
    /// The task it concerns.
    pub task_id: Option<Uuid>,
    /// Who did it (`None` for the engine itself).
    pub actor_id: Option<Uuid>,
    /// Whom the actor acted for (a B holder working for A).
    pub acting_for_id: Option<Uuid>,
    /// State before.
    pub before: Option<Value>,
    /// State after.
    pub after: Option<Value>,
}

impl NewEvent {
    /// An event about a case by an actor.
    pub fn case(kind: EventKind, case_id: Uuid, actor_id: Option<Uuid>) -> Self {
        NewEvent {
            kind,
            case_id: Some(case_id),
            task_id: None,
            actor_id,
            acting_for_id: None,
            before: None,
            after: None,
        }
    }

    /// An event about the centre as a whole (no case), by `actor_id` or the engine itself.
    pub fn system(kind: EventKind) -> Self {
        NewEvent {
            kind,
            case_id: None,
            task_id: None,
            actor_id: None,
            acting_for_id: None,
            before: None,
            after: None,
        }
    }

    /// Sets the actor.
    pub fn by(mut self, actor_id: Uuid) -> Self {
        self.actor_id = Some(actor_id);
        self
    }

    /// Sets the task.
    pub fn task(mut self, task_id: Uuid) -> Self {
        self.task_id = Some(task_id);
        self
    }

    /// Sets whom the actor acted for.
    pub fn acting_for(mut self, staff_id: Option<Uuid>) -> Self {
        self.acting_for_id = staff_id;
        self
    }

    /// Sets the state before.
    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    /// Sets the state after.
    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
}
