using System.Data.Common;
using Dapper;

namespace ServiceHall.Server.Storage;

/// <summary>One step of the schema: applied once, in order, and recorded in schema_migrations.</summary>
public sealed record StoreMigration(int Version, string Description, string Sql);

/// <summary>
/// The schema as a list of migrations, in SQL both SQLite and PostgreSQL accept (TEXT, BIGINT, ON CONFLICT). A store is
/// brought up to the newest version on start; a store newer than this server is refused rather than guessed at.
/// Never edit a migration that has shipped: add the next one.
/// </summary>
public static class StoreMigrations
{
    // Level is stored in GB/T 39046 A.8 coding (1 = 非常满意 … 5 = 非常不满意). Times are Unix milliseconds (UTC).
    private const string FirstSchema =
        """
        CREATE TABLE IF NOT EXISTS district (region_code TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS departments (
            code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, short_name TEXT NOT NULL, position BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS halls (
            code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, opening_hours TEXT NOT NULL,
            supervision_phone TEXT NOT NULL, position BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS service_windows (
            hall_code TEXT NOT NULL, code TEXT NOT NULL, department_code TEXT NOT NULL, definition TEXT NOT NULL,
            position BIGINT NOT NULL, PRIMARY KEY (hall_code, code));
        CREATE TABLE IF NOT EXISTS service_items (
            code TEXT NOT NULL PRIMARY KEY, department_code TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL,
            position BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS reason_tag_lists (
            version TEXT NOT NULL PRIMARY KEY, definition TEXT NOT NULL, is_current BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS ratings (
            id TEXT NOT NULL PRIMARY KEY,
            transaction_number TEXT NULL,
            hall_code TEXT NOT NULL,
            region_code TEXT NOT NULL,
            window_code TEXT NULL,
            service_item_code TEXT NULL,
            department_code TEXT NOT NULL,
            staff_id TEXT NULL,
            channel BIGINT NOT NULL,
            level BIGINT NOT NULL,
            reason_tag_codes TEXT NOT NULL,
            reason_tag_list_version TEXT NULL,
            text TEXT NULL,
            rated_at_ms BIGINT NOT NULL,
            received_at_ms BIGINT NOT NULL,
            sequence BIGINT NOT NULL,
            active BIGINT NOT NULL,
            real_name BIGINT NOT NULL,
            device_id TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_ratings_hall_time ON ratings (hall_code, rated_at_ms);
        CREATE TABLE IF NOT EXISTS cases (
            id TEXT NOT NULL PRIMARY KEY,
            rating_id TEXT NOT NULL UNIQUE REFERENCES ratings (id),
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            assigned_department_code TEXT NULL,
            window_code TEXT NULL,
            state BIGINT NOT NULL,
            received_at_ms BIGINT NOT NULL,
            event_count BIGINT NOT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_cases_hall_received ON cases (hall_code, received_at_ms);
        CREATE TABLE IF NOT EXISTS case_events (
            case_id TEXT NOT NULL REFERENCES cases (id),
            sequence BIGINT NOT NULL,
            at_ms BIGINT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_role BIGINT NOT NULL,
            kind BIGINT NOT NULL,
            from_state BIGINT NOT NULL,
            to_state BIGINT NOT NULL,
            note TEXT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (case_id, sequence));
        CREATE TABLE IF NOT EXISTS staff_accounts (
            id TEXT NOT NULL PRIMARY KEY,
            user_name TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role BIGINT NOT NULL,
            department_code TEXT NULL,
            hall_code TEXT NULL,
            password_hash TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS staff_sessions (
            token_hash TEXT NOT NULL PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES staff_accounts (id),
            expires_at_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS kiosks (
            device_id TEXT NOT NULL PRIMARY KEY,
            hall_code TEXT NOT NULL,
            credential_hash TEXT NOT NULL UNIQUE,
            enrolled_at_ms BIGINT NOT NULL,
            revoked_at_ms BIGINT NULL,
            heartbeat TEXT NULL);
        CREATE TABLE IF NOT EXISTS publications (
            period_key TEXT NOT NULL,
            version BIGINT NOT NULL,
            published_at_ms BIGINT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (period_key, version));
        CREATE TABLE IF NOT EXISTS hidden_texts (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            hidden_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            hidden_at_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS transactions (
            transaction_number TEXT NOT NULL PRIMARY KEY,
            hall_code TEXT NOT NULL,
            window_code TEXT NOT NULL,
            service_item_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            staff_id TEXT NULL,
            short_code TEXT NOT NULL UNIQUE,
            completed_at_ms BIGINT NOT NULL,
            rate_by_ms BIGINT NOT NULL,
            status BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS rater_contacts (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            phone_protected TEXT NOT NULL);
        
        """;

    // Ratings tallied as they are stored, in the same transaction: the live figures read the hour table, and period
    // indicators and publications read the day table, so neither scans the ratings (docs/architecture.md#storage:
    // figures at any scale). A local day is the district's calendar day as yyyymmdd, a local month yyyymm; "" stands
    // for no window or no service item. A year's figures read twelve months of tallies, not 365 days of them.
    private const string RatingTallies =
        """
        CREATE TABLE IF NOT EXISTS rating_hours (
            hour_ms BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            level BIGINT NOT NULL,
            active BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (hall_code, hour_ms, department_code, level, active));
        CREATE TABLE IF NOT EXISTS rating_days (
            local_day BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            window_code TEXT NOT NULL,
            service_item_code TEXT NOT NULL,
            channel BIGINT NOT NULL,
            level BIGINT NOT NULL,
            active BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (local_day, hall_code, department_code, window_code, service_item_code, channel, level, active));
        CREATE TABLE IF NOT EXISTS rating_months (
            local_month BIGINT NOT NULL,
            hall_code TEXT NOT NULL,
            department_code TEXT NOT NULL,
            window_code TEXT NOT NULL,
            service_item_code TEXT NOT NULL,
            channel BIGINT NOT NULL,
            level BIGINT NOT NULL,
            active BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (local_month, hall_code, department_code, window_code, service_item_code, channel, level, active));
        CREATE INDEX IF NOT EXISTS ix_rating_days_department ON rating_days (department_code, local_day);
        CREATE INDEX IF NOT EXISTS ix_rating_days_window ON rating_days (hall_code, window_code, local_day);
        CREATE INDEX IF NOT EXISTS ix_rating_days_item ON rating_days (service_item_code, local_day);
        CREATE INDEX IF NOT EXISTS ix_ratings_bad_time ON ratings (rated_at_ms) WHERE level >= 4;
        CREATE INDEX IF NOT EXISTS ix_cases_received ON cases (received_at_ms);
        """;

    // What the indicators need of each case, kept beside it (CaseFacts): a period's case figures are then sums, read from
    // an index that holds every column they need (the cases' rows themselves are not read).
    private const string CaseFacts =
        """
        ALTER TABLE cases ADD COLUMN service_item_code TEXT NULL;
        ALTER TABLE cases ADD COLUMN appeal_upheld BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN closed BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN rectified BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN rectified_in_time BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN real_name BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN called_back BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN rater_asked BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN rater_satisfied BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN rectification_due_ms BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN contact_due_ms BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN escalated BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS ix_cases_escalation ON cases (escalated, state, contact_due_ms, rectification_due_ms);
        CREATE INDEX IF NOT EXISTS ix_transactions_completed ON transactions (completed_at_ms);
        CREATE INDEX IF NOT EXISTS ix_cases_received_facts ON cases (received_at_ms, hall_code, department_code,
            assigned_department_code, window_code, service_item_code, appeal_upheld, closed, rectified, rectified_in_time, real_name,
            called_back, rater_asked, rater_satisfied, rectification_due_ms);
        """;

    // A case is stored once, as its snapshot (CaseRows): the audit trail is in it, and case_events, which repeated the
    // trail and was read by nothing, goes. The queue's filters (responsible department, state) get indexes in received
    // order, so a department's or a state's page reads only its own cases.
    private const string CaseQueue =
        """
        DROP TABLE IF EXISTS case_events;
        CREATE INDEX IF NOT EXISTS ix_cases_department_received ON cases (department_code, received_at_ms);
        CREATE INDEX IF NOT EXISTS ix_cases_assigned_received ON cases (assigned_department_code, received_at_ms);
        CREATE INDEX IF NOT EXISTS ix_cases_state_received ON cases (state, received_at_ms);
        """;

    // A staff number not on the roster when its rating arrived is stored as given and marked for review (RatingRules).
    private const string StaffReview =
        """
        ALTER TABLE ratings ADD COLUMN staff_not_on_roster BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS ix_ratings_staff_review ON ratings (received_at_ms) WHERE staff_not_on_roster = 1;
        """;

    // A device's first enrolment bounds when its ratings can have been made (a re-enrolment keeps it); a rating that
    // arrived long after it was made is marked, and counted in the period it was made.
    private const string TimeRules =
        """
        ALTER TABLE kiosks ADD COLUMN first_enrolled_at_ms BIGINT NULL;
        UPDATE kiosks SET first_enrolled_at_ms = enrolled_at_ms;
        ALTER TABLE ratings ADD COLUMN arrived_late BIGINT NOT NULL DEFAULT 0;
        """;

    // Each missed deadline escalates once: the overdue scan selects cases by when their next escalation falls due
    // (BadReviewCase.NextEscalationDue), null when none is pending. Filled for every case when applied (StoreSchema).
    private const string EscalationDue =
        """
        ALTER TABLE cases ADD COLUMN escalation_due_ms BIGINT NULL;
        CREATE INDEX IF NOT EXISTS ix_cases_escalation_due ON cases (escalation_due_ms);
        """;

    // Sign-in that resists guessing and sessions that can end: an account counts its failed sign-ins in a row and may be
    // locked or disabled; a session remembers when it was last used (idle timeout); every sign-in failure, lockout and
    // account change is a row of the security log, which the auditor reads (docs/architecture.md#security-model).
    private const string AccountSecurity =
        """
        ALTER TABLE staff_accounts ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE staff_accounts ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE staff_accounts ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE staff_sessions ADD COLUMN last_used_ms BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS ix_staff_sessions_account ON staff_sessions (account_id);
        CREATE TABLE IF NOT EXISTS security_events (
            id TEXT NOT NULL PRIMARY KEY,
            at_ms BIGINT NOT NULL,
            kind TEXT NOT NULL,
            user_name TEXT NOT NULL,
            source TEXT NOT NULL,
            detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_security_events_time ON security_events (at_ms);
        """;

    // A disclosure is a draft until the 政务公开 officer approves it; the draft (with the citizens' texts under review) is
    // deleted when it is published. A withdrawal rewrites the published content without the withdrawn text and counts
    // up publications.withdrawals, so two withdrawals at once cannot undo each other; a withdrawn 差评's key (Withdrawal.KeyOf, never
    // the text) keeps it out of later drafts. Every officer action is a row of
    // disclosure_actions, which the auditor reads (docs/rules/indicators-and-disclosure.md#review-before-release).
    private const string DisclosureReview =
        """
        CREATE TABLE IF NOT EXISTS disclosure_drafts (
            period_key TEXT NOT NULL,
            version BIGINT NOT NULL,
            revision BIGINT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (period_key, version));
        ALTER TABLE publications ADD COLUMN withdrawals BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE IF NOT EXISTS disclosure_actions (
            id TEXT NOT NULL PRIMARY KEY,
            at_ms BIGINT NOT NULL,
            user_name TEXT NOT NULL,
            kind TEXT NOT NULL,
            period_key TEXT NOT NULL,
            version BIGINT NOT NULL,
            row_index BIGINT NULL,
            reason TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_disclosure_actions_time ON disclosure_actions (at_ms);
        CREATE TABLE IF NOT EXISTS withdrawn_texts (text_key TEXT NOT NULL PRIMARY KEY);
        """;

    // A case belongs to the period its citizen rated, as its rating does: cases keep the rating's time (filled from the
    // ratings for cases stored before), and the case figures are summed from an index in that order, with the contact
    // deadline the callback rate needs. Ratings that arrived late are found by when they were made and received, for the
    // count of ratings a period received after it was published.
    private const string RatedPeriod =
        """
        ALTER TABLE cases ADD COLUMN rated_at_ms BIGINT NOT NULL DEFAULT 0;
        UPDATE cases SET rated_at_ms = (SELECT r.rated_at_ms FROM ratings r WHERE r.id = cases.rating_id);
        DROP INDEX IF EXISTS ix_cases_received_facts;
        CREATE INDEX IF NOT EXISTS ix_cases_rated_facts ON cases (rated_at_ms, hall_code, department_code,
            assigned_department_code, window_code, service_item_code, appeal_upheld, closed, rectified, rectified_in_time, real_name,
            called_back, rater_asked, rater_satisfied, rectification_due_ms, contact_due_ms);
        CREATE INDEX IF NOT EXISTS ix_ratings_late_rated ON ratings (rated_at_ms, received_at_ms) WHERE arrived_late = 1;
        """;

    // Intake integrity (docs/rules/ratings.md). Device kinds: a device enrolled before kinds existed becomes what its
    // own record shows it to be — a window pad (for the window it last rated) if it ever sent a pad-channel rating, a
    // window business system if it never sent a rating nor a heartbeat (a business system sends neither), otherwise a
    // hall terminal; an administrator re-enrols any device this guessed wrong (README: Kiosk enrollment). Rejected ratings
    // are counted per device and field for the fleet page. The anti-fraud scan keeps keyed hashes of texts and callback
    // numbers, its flags and the reviewers' decisions; it starts after the ratings already stored (history is not scanned).
    // A rating's one follow-up (追评) is a row of its own, keyed by the rating.
    private const string IntakeIntegrity =
        """
        ALTER TABLE kiosks ADD COLUMN device_kind BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE kiosks ADD COLUMN window_code TEXT NULL;
        CREATE INDEX IF NOT EXISTS ix_ratings_device_rated ON ratings (device_id, rated_at_ms);
        UPDATE kiosks SET device_kind = 2, window_code = (
                SELECT r.window_code FROM ratings r
                WHERE r.device_id = kiosks.device_id AND r.channel = 4 AND r.window_code IS NOT NULL
                ORDER BY r.received_at_ms DESC LIMIT 1)
            WHERE EXISTS (
                SELECT 1 FROM ratings r WHERE r.device_id = kiosks.device_id AND r.channel = 4 AND r.window_code IS NOT NULL);
        UPDATE kiosks SET device_kind = 3
            WHERE heartbeat IS NULL AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.device_id = kiosks.device_id);
        CREATE TABLE IF NOT EXISTS rating_rejections (
            device_id TEXT NOT NULL,
            field TEXT NOT NULL,
            count BIGINT NOT NULL,
            last_reason TEXT NOT NULL,
            last_at_ms BIGINT NOT NULL,
            PRIMARY KEY (device_id, field));
        CREATE INDEX IF NOT EXISTS ix_ratings_received ON ratings (received_at_ms, id);
        CREATE INDEX IF NOT EXISTS ix_ratings_staff_bad ON ratings (staff_id, rated_at_ms) WHERE level >= 4;
        CREATE TABLE IF NOT EXISTS rating_text_keys (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            text_key TEXT NOT NULL,
            rated_at_ms BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_rating_text_keys ON rating_text_keys (text_key, rated_at_ms);
        CREATE TABLE IF NOT EXISTS rating_phone_keys (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            phone_key TEXT NOT NULL,
            rated_at_ms BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_rating_phone_keys ON rating_phone_keys (phone_key, rated_at_ms);
        CREATE TABLE IF NOT EXISTS rating_flags (
            rating_id TEXT NOT NULL REFERENCES ratings (id),
            pattern BIGINT NOT NULL,
            detail TEXT NOT NULL,
            flagged_at_ms BIGINT NOT NULL,
            PRIMARY KEY (rating_id, pattern));
        CREATE INDEX IF NOT EXISTS ix_rating_flags_time ON rating_flags (flagged_at_ms);
        CREATE TABLE IF NOT EXISTS rating_reviews (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            excluded BIGINT NOT NULL,
            reason BIGINT NULL,
            note TEXT NOT NULL,
            reviewer_id TEXT NOT NULL,
            reviewer_role BIGINT NOT NULL,
            reviewed_at_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS fraud_scan (
            id BIGINT NOT NULL PRIMARY KEY,
            after_received_ms BIGINT NOT NULL,
            after_id TEXT NOT NULL,
            secret_protected TEXT NOT NULL);
        INSERT INTO fraud_scan (id, after_received_ms, after_id, secret_protected)
            SELECT 1, COALESCE(MAX(received_at_ms), 0), '', '' FROM ratings;
        CREATE TABLE IF NOT EXISTS rating_follow_ups (
            rating_id TEXT NOT NULL PRIMARY KEY REFERENCES ratings (id),
            follow_up_id TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            written_at_ms BIGINT NOT NULL,
            received_at_ms BIGINT NOT NULL,
            device_id TEXT NOT NULL);
        """;

    // Whether a store was created as a demo store (seeded with the demo district) or as a district's own (its catalog
    // imported): written once, with the first catalog, never changed. Demo tools refuse any store that is not a demo
    // store; a store made before this migration has no row and counts as a district's own (docs/deployment.md#demo-stores).
    private const string StoreOrigin =
        """
        CREATE TABLE IF NOT EXISTS store_origin (
            id BIGINT NOT NULL PRIMARY KEY,
            demo BIGINT NOT NULL,
            created_at_ms BIGINT NOT NULL);
        """;

    // Every staff identity (name and staff number) the district's catalog has ever named: saving a catalog adds the new
    // ones and moves last_seen_ms, never deletes, so a former staff member's name is still taken out of an old 差评 text
    // (docs/rules/privacy.md#in-public). Filled when the next catalog is saved, from the stored roster and the new one.
    private const string StaffIdentities =
        """
        CREATE TABLE IF NOT EXISTS staff_identities (
            staff_id TEXT NOT NULL,
            name TEXT NOT NULL,
            first_seen_ms BIGINT NOT NULL,
            last_seen_ms BIGINT NOT NULL,
            PRIMARY KEY (staff_id, name));
        """;

    // The provincial upload queue (docs/provincial-relay.md#queue): one row per item, written in the transaction of what it
    // reports and kept after delivery (a backfill sends it again). Items of one stream (a rating and its case's steps) go in
    // stream_sequence order; period_at_ms is the instant a backfill's range is matched against. The relay's last success and its
    // failures by kind, for the console on any instance.
    private const string ProvincialRelay =
        """
        CREATE TABLE IF NOT EXISTS provincial_uploads (
            upload_key TEXT NOT NULL PRIMARY KEY,
            kind BIGINT NOT NULL,
            stream TEXT NOT NULL,
            stream_sequence BIGINT NOT NULL,
            period_at_ms BIGINT NOT NULL,
            queued_at_ms BIGINT NOT NULL,
            document TEXT NOT NULL,
            delivered_at_ms BIGINT NULL,
            refused BIGINT NOT NULL DEFAULT 0,
            attempts BIGINT NOT NULL DEFAULT 0,
            last_error TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_provincial_uploads_pending ON provincial_uploads (queued_at_ms, stream, stream_sequence)
            WHERE delivered_at_ms IS NULL AND refused = 0;
        CREATE INDEX IF NOT EXISTS ix_provincial_uploads_stream ON provincial_uploads (stream, stream_sequence)
            WHERE delivered_at_ms IS NULL AND refused = 0;
        CREATE INDEX IF NOT EXISTS ix_provincial_uploads_period ON provincial_uploads (period_at_ms);
        CREATE TABLE IF NOT EXISTS provincial_relay_state (
            id BIGINT NOT NULL PRIMARY KEY,
            last_success_at_ms BIGINT NULL,
            last_attempt_at_ms BIGINT NULL);
        INSERT INTO provincial_relay_state (id) VALUES (1);
        CREATE TABLE IF NOT EXISTS provincial_relay_errors (
            kind TEXT NOT NULL PRIMARY KEY,
            count BIGINT NOT NULL,
            last_at_ms BIGINT NOT NULL,
            last_message TEXT NOT NULL);
        """;

    // Handling figures and readable case numbers. A case's number (差评-yyyyMMdd-NNNN) is given from a counter per local day
    // when the case is first stored, and kept in its snapshot; cases stored before get theirs when this is applied
    // (StoreSchema, in the order they were received). When the rater was first reached and the first feedback given feed the
    // median working days; the stage counts read state and deadlines. One index holds every column the handling figures
    // sum, in rated order, so they read no case row.
    private const string CaseNumbersAndHandling =
        """
        ALTER TABLE cases ADD COLUMN case_number TEXT NULL;
        ALTER TABLE cases ADD COLUMN reached_at_ms BIGINT NULL;
        ALTER TABLE cases ADD COLUMN first_feedback_at_ms BIGINT NULL;
        CREATE TABLE IF NOT EXISTS case_number_days (
            local_day BIGINT NOT NULL PRIMARY KEY,
            last_number BIGINT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ix_cases_number ON cases (case_number);
        CREATE INDEX IF NOT EXISTS ix_cases_rated_handling ON cases (rated_at_ms, hall_code, department_code,
            assigned_department_code, window_code, service_item_code, state, appeal_upheld, contact_due_ms, rectification_due_ms,
            received_at_ms, reached_at_ms, first_feedback_at_ms);
        """;

    // English names beside the Chinese ones (catalog.proto; docs/rules/accessibility.md#english). Windows, service items
    // and reason tags are stored as JSON definitions and carry theirs there; departments and halls have columns. NULL =
    // the district gave no English name (a kiosk in English shows the Chinese one); filled when a catalog is next saved.
    // 主动公开 documents (docs/rules/active-disclosure.md): each stored as its snapshot (content, state, audit trail), with the
    // columns the console's list filters on and the kiosk's published set reads, all rewritten from the document on each save.
    private const string PublishedDocuments =
        """
        CREATE TABLE IF NOT EXISTS published_documents (
            id TEXT NOT NULL PRIMARY KEY,
            type BIGINT NOT NULL,
            state BIGINT NOT NULL,
            title TEXT NOT NULL,
            demo BIGINT NOT NULL,
            updated_at_ms BIGINT NOT NULL,
            event_count BIGINT NOT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_published_documents_state ON published_documents (state, type, updated_at_ms);
        """;

    private const string EnglishNames =
        """
        ALTER TABLE departments ADD COLUMN name_en TEXT NULL;
        ALTER TABLE departments ADD COLUMN short_name_en TEXT NULL;
        ALTER TABLE halls ADD COLUMN name_en TEXT NULL;
        ALTER TABLE halls ADD COLUMN opening_hours_en TEXT NULL;
        """;

    // Evidence files of cases (docs/rules/bad-review-cases.md#evidence-files): kept in the database with their case, so
    // every server instance sharing a store serves them and a backup of the store holds them. The content is base64
    // text: one column type that SQLite and PostgreSQL read alike; files are small (a few MB at most, a few per case).
    private const string CaseEvidenceFiles =
        """
        CREATE TABLE IF NOT EXISTS case_evidence_files (
            id TEXT NOT NULL PRIMARY KEY,
            case_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            kind BIGINT NOT NULL,
            size_bytes BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_by TEXT NOT NULL,
            uploaded_at_ms BIGINT NOT NULL,
            content_base64 TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS case_evidence_files_by_case ON case_evidence_files (case_id, uploaded_at_ms);
        """;

    // Information-disclosure requests (docs/rules/disclosure-requests.md): each stored as its snapshot, with the columns the
    // queue, the intake's repeat and volume checks and the annual table read, all rewritten from the request on each save.
    // The applicant's identity and contact are only ever stored encrypted (applicant_protected); applicant_key is their
    // keyed hash under the district's secret, kept protected in disclosure_request_secret. Review and litigation figures
    // are entered by the office per year.
    private const string DisclosureRequests =
        """
        CREATE TABLE IF NOT EXISTS disclosure_requests (
            id TEXT NOT NULL PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            hall_code TEXT NOT NULL,
            device_id TEXT NOT NULL,
            submitted_at_ms BIGINT NOT NULL,
            received_day TEXT NOT NULL,
            applicant_kind BIGINT NOT NULL,
            applicant_protected TEXT NOT NULL,
            applicant_key TEXT NOT NULL,
            information_key TEXT NOT NULL,
            state BIGINT NOT NULL,
            assigned_department_code TEXT NULL,
            event_count BIGINT NOT NULL,
            concluded_day TEXT NULL,
            outcome BIGINT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_disclosure_requests_applicant ON disclosure_requests (applicant_key, submitted_at_ms);
        CREATE INDEX IF NOT EXISTS ix_disclosure_requests_submitted ON disclosure_requests (submitted_at_ms, id);
        CREATE INDEX IF NOT EXISTS ix_disclosure_requests_received ON disclosure_requests (received_day);
        CREATE TABLE IF NOT EXISTS disclosure_request_secret (
            id BIGINT NOT NULL PRIMARY KEY,
            secret_protected TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS disclosure_review_figures (
            year BIGINT NOT NULL PRIMARY KEY,
            figures TEXT NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at_ms BIGINT NOT NULL);
        """;

    // Questions (办事咨询) and "could not get it done" reports (办不成事反映), each stored as its snapshot, with the columns the
    // queues, the pickup-code lookup, the overdue scan and the monthly figures read. The citizen's contact is encrypted
    // (contact_protected) and is never in the snapshot.
    private const string QuestionsAndReports =
        """
        CREATE TABLE IF NOT EXISTS citizen_questions (
            id TEXT NOT NULL PRIMARY KEY,
            pickup_code TEXT NOT NULL UNIQUE,
            hall_code TEXT NOT NULL,
            device_id TEXT NOT NULL,
            submitted_at_ms BIGINT NOT NULL,
            received_day TEXT NOT NULL,
            due_day TEXT NOT NULL,
            contact_protected TEXT NULL,
            state BIGINT NOT NULL,
            assigned_department_code TEXT NULL,
            event_count BIGINT NOT NULL,
            done_day TEXT NULL,
            done_late BIGINT NULL,
            working_days_taken BIGINT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_citizen_questions_queue ON citizen_questions (assigned_department_code, state, submitted_at_ms);
        CREATE INDEX IF NOT EXISTS ix_citizen_questions_received ON citizen_questions (received_day);
        CREATE TABLE IF NOT EXISTS could_not_be_done_reports (
            id TEXT NOT NULL PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            hall_code TEXT NOT NULL,
            device_id TEXT NOT NULL,
            submitted_at_ms BIGINT NOT NULL,
            received_day TEXT NOT NULL,
            due_day TEXT NOT NULL,
            contact_protected TEXT NOT NULL,
            state BIGINT NOT NULL,
            event_count BIGINT NOT NULL,
            done_day TEXT NULL,
            done_late BIGINT NULL,
            working_days_taken BIGINT NULL,
            snapshot TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_could_not_be_done_reports_queue ON could_not_be_done_reports (state, submitted_at_ms);
        CREATE INDEX IF NOT EXISTS ix_could_not_be_done_reports_received ON could_not_be_done_reports (received_day);
        """;

    // The service item an accepted FAQ entry belongs to, so the catalog a kiosk receives carries the hall's accepted entries
    // without reading every closed question's snapshot (docs/rules/questions-and-reports.md#questions).
    private const string AcceptedFaqEntries =
        """
        ALTER TABLE citizen_questions ADD COLUMN faq_item_code TEXT NULL;
        CREATE INDEX IF NOT EXISTS ix_citizen_questions_faq ON citizen_questions (faq_item_code, submitted_at_ms) WHERE faq_item_code IS NOT NULL;
        """;

    public static IReadOnlyList<StoreMigration> All { get; } =
    [
        new(1, "ratings, cases, accounts, kiosks, publications, transactions", FirstSchema),
        new(RatingTalliesVersion, "hourly and daily rating tallies", RatingTallies),
        new(CaseFactsVersion, "what the indicators and the overdue scan need of each case", CaseFacts),
        new(4, "a case stored once, as its snapshot; indexes for the case queue", CaseQueue),
        new(5, "ratings whose staff number was not on the roster, for review", StaffReview),
        new(6, "a device's first enrolment; ratings that arrived late", TimeRules),
        new(EscalationDueVersion, "when each case's next escalation falls due", EscalationDue),
        new(8, "sign-in failures, lockout, disabled accounts, idle sessions and the security log", AccountSecurity),
        new(9, "disclosure drafts, withdrawals and the disclosure officer's audit", DisclosureReview),
        new(RatedPeriodVersion, "cases in the period their citizen rated; late ratings by when they were made", RatedPeriod),
        new(IntakeIntegrityVersion, "device kinds; rejected ratings per device; fraud flags and exclusions; follow-up ratings", IntakeIntegrity),
        new(12, "whether the store was created as a demo store", StoreOrigin),
        new(13, "every staff identity the catalog has ever named, for de-identifying published texts", StaffIdentities),
        new(14, "the provincial upload queue, the relay's last success and its failures", ProvincialRelay),
        new(15, "information-disclosure requests, the applicant-key secret, review and litigation figures", DisclosureRequests),
        new(CaseNumbersVersion, "readable case numbers; when raters were reached and feedback first given; the handling-figures index", CaseNumbersAndHandling),
        new(17, "English names of departments and halls", EnglishNames),
        new(18, "主动公开 documents: content, state and audit trail", PublishedDocuments),
        new(19, "evidence files attached to cases", CaseEvidenceFiles),
        new(20, "questions (办事咨询) and could-not-get-it-done reports (办不成事反映)", QuestionsAndReports),
        new(21, "the handling figures' rollup by rated day, hall, department and state, filled from the cases", CaseHandlingRollup.Migration),
        new(22, "the service item of an accepted FAQ entry", AcceptedFaqEntries),
        new(23, "the handling rollup in buckets of 1, 8 and 64 days, working days to each milestone, and the working-day calendar", CaseHandlingRollup.BucketsMigration),
    ];

    /// <summary>The migration that gave cases readable numbers: cases stored before get theirs when it is applied.</summary>
    public const int CaseNumbersVersion = 16;

    /// <summary>The migration that gave cases their rating's time (rated_at_ms), filled from the ratings.</summary>
    public const int RatedPeriodVersion = 10;

    /// <summary>The intake-integrity migration (device kinds, fraud flags, follow-ups); its test rebuilds the store before it.</summary>
    public const int IntakeIntegrityVersion = 11;

    /// <summary>The migration that added escalation_due_ms: every case's is derived when it is applied.</summary>
    public const int EscalationDueVersion = 7;

    /// <summary>The migration that added the case facts: cases stored before it get theirs when it is applied.</summary>
    public const int CaseFactsVersion = 3;

    /// <summary>The migration that added the tallies: ratings stored before it are tallied when it is applied.</summary>
    public const int RatingTalliesVersion = 2;

    public static int Newest => All[^1].Version;

    /// <summary>
    /// Applies what is missing inside the caller's transaction (which holds the migrations lock). A store whose tables
    /// predate the migrations table passes how many migrations its schema already holds as <paramref name="legacyVersion"/>.
    /// </summary>
    public static async Task<IReadOnlyList<StoreMigration>> ApplyAsync(
        DbConnection connection, DbTransaction transaction, int legacyVersion, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)",
            transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
        if (applied.Count == 0)
        {
            applied.UnionWith(All.Where(m => m.Version <= legacyVersion).Select(m => (long)m.Version));
            foreach (var m in All.Where(m => m.Version <= legacyVersion))
            {
                await RecordAsync(connection, transaction, m, cancellationToken);
            }
        }

        if (applied.Count > 0 && applied.Max() > Newest)
        {
            throw new InvalidOperationException(
                $"The store has schema version {applied.Max()}, newer than this server's {Newest}: run the newer server, or restore a backup.");
        }

        var missing = All.Where(m => !applied.Contains(m.Version)).ToList();
        foreach (var m in missing)
        {
            await connection.ExecuteAsync(new CommandDefinition(m.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await RecordAsync(connection, transaction, m, cancellationToken);
        }

        return missing;
    }

    private static Task RecordAsync(DbConnection connection, DbTransaction transaction, StoreMigration m, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, description, applied_at_ms) VALUES (@Version, @Description, @AtMs)",
            new { m.Version, m.Description, AtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken));
}
