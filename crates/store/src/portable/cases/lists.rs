//! Case listings, inboxes, certificates and figures.

use onetrip_domain::case::{CaseStatus, IntakeChannel, PartStatus};
use onetrip_domain::text::Text;
use sqlx::{Row, Transaction};
use time::Date;

use super::Db;
use super::rows::{
    CERT_COLUMNS, DbRow, PART_COLUMNS, certificate_from_row, code, date_text, load_parts,
    load_pauses, opt_date, part_from_row, warning,
};
use crate::{
    CaseFilter, CaseSummary, CertificateRecord, InboxFilter, OpenClock, StoreResult, TaskRow,
    TripStat,
};

/// A bound value of a dynamically built query.
enum Arg {
    Int(i64),
    Text(String),
}

/// Collects `WHERE` conditions with numbered bind parameters (`$1`, `$2`…).
#[derive(Default)]
struct Conditions {
    parts: Vec<String>,
    args: Vec<Arg>,
}

impl Conditions {
    fn param(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn eq(&mut self, column: &str, arg: Arg) {
        let p = self.param(arg);
        self.parts.push(format!("{column} = {p}"));
    }

    /// `column IN (…)` over text values; nothing when `values` is empty.
    fn any_of(&mut self, column: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let ps: Vec<String> = values
            .iter()
            .map(|v| self.param(Arg::Text(v.clone())))
            .collect();
        self.parts.push(format!("{column} IN ({})", ps.join(", ")));
    }

    /// `column LIKE prefix%` for any of the prefixes.
    fn any_prefix(&mut self, column: &str, prefixes: &[String]) {
        if prefixes.is_empty() {
            return;
        }
        let ps: Vec<String> = prefixes
            .iter()
            .map(|v| {
                let p = self.param(Arg::Text(v.clone()));
                format!("{column} LIKE {p} || '%'")
            })
            .collect();
        self.parts.push(format!("({})", ps.join(" OR ")));
    }

    fn raw(&mut self, condition: &str) {
        self.parts.push(condition.to_owned());
    }

    fn clause(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

async fn fetch(
    tx: &mut Transaction<'_, Db>,
    sql: String,
    args: Vec<Arg>,
) -> StoreResult<Vec<DbRow>> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

fn summary_from_row(r: &DbRow) -> StoreResult<CaseSummary> {
    Ok(CaseSummary {
        id: r.try_get("id")?,
        case_no: r.try_get("case_no")?,
        title: Text::new(
            r.try_get::<String, _>("title_zh")?,
            r.try_get::<String, _>("title_en")?,
        ),
        status: code(
            "status",
            &r.try_get::<String, _>("status")?,
            CaseStatus::parse,
        )?,
        channel: code(
            "channel",
            &r.try_get::<String, _>("channel")?,
            IntakeChannel::parse,
        )?,
        bundle_code: r.try_get("bundle_code")?,
        applicant_id: r.try_get("applicant_id")?,
        submitted_on: opt_date(r.try_get("submitted_on")?)?,
        accept_due: opt_date(r.try_get("accept_due")?)?,
        decision_due: opt_date(r.try_get("decision_due")?)?,
        promised_due: opt_date(r.try_get("promised_due")?)?,
        due_provisional: r.try_get::<i64, _>("due_provisional")? != 0,
        warning: warning(&r.try_get::<String, _>("warning")?)?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(super) async fn list_cases(
    tx: &mut Transaction<'_, Db>,
    f: &CaseFilter,
) -> StoreResult<Vec<CaseSummary>> {
    let mut c = Conditions::default();
    match f.applicant_id {
        Some(a) => c.eq("applicant_id", Arg::Int(a)),
        None if f.statuses.is_empty() => c.raw("status <> 'draft'"),
        None => {}
    }
    let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
    c.any_of("status", &statuses);
    c.any_prefix("region_code", &f.region_prefixes);
    if !f.departments.is_empty() {
        let ps: Vec<String> = f
            .departments
            .iter()
            .map(|d| c.param(Arg::Text(d.clone())))
            .collect();
        c.parts.push(format!(
            "id IN (SELECT case_id FROM case_parts WHERE department_code IN ({}))",
            ps.join(", ")
        ));
    }
    if let Some(w) = f.warning {
        c.eq("warning", Arg::Text(w.as_str().to_owned()));
    }
    if let Some(no) = &f.case_no {
        c.eq("case_no", Arg::Text(no.clone()));
    }
    let limit = c.param(Arg::Int(f.limit.clamp(1, 500)));
    let offset = c.param(Arg::Int(f.offset.max(0)));
    let sql = format!(
        "SELECT id, case_no, title_zh, title_en, status, channel, bundle_code, applicant_id, submitted_on, \
         accept_due, decision_due, promised_due, due_provisional, warning, updated_at FROM cases{} \
         ORDER BY updated_at DESC, id DESC LIMIT {limit} OFFSET {offset}",
        c.clause()
    );
    let rows = fetch(tx, sql, c.args).await?;
    rows.iter().map(summary_from_row).collect()
}

pub(super) async fn inbox(
    tx: &mut Transaction<'_, Db>,
    f: &InboxFilter,
) -> StoreResult<Vec<TaskRow>> {
    let mut c = Conditions::default();
    let cols: String = PART_COLUMNS
        .split(", ")
        .map(|col| format!("p.{col}"))
        .collect::<Vec<_>>()
        .join(", ");
    match (f.assignee, f.departments.is_empty()) {
        (Some(a), true) => c.eq("p.assignee_id", Arg::Int(a)),
        (Some(a), false) => {
            c.eq("p.assignee_id", Arg::Int(a));
            c.any_of("p.department_code", &f.departments);
        }
        (None, true) => return Ok(Vec::new()),
        (None, false) => c.any_of("p.department_code", &f.departments),
    }
    let statuses: Vec<String> = if f.statuses.is_empty() {
        vec![
            PartStatus::Open.as_str().to_owned(),
            PartStatus::Claimed.as_str().to_owned(),
        ]
    } else {
        f.statuses.iter().map(|s| s.as_str().to_owned()).collect()
    };
    c.any_of("p.status", &statuses);
    if let Some(w) = f.warning {
        c.eq("p.warning", Arg::Text(w.as_str().to_owned()));
    }
    if let Some(d) = f.due_by {
        let p = c.param(Arg::Text(date_text(d)));
        c.parts.push(format!("p.statutory_due <= {p}"));
    }
    let limit = c.param(Arg::Int(f.limit.clamp(1, 500)));
    let sql = format!(
        "SELECT {cols}, c.case_no AS case_no, c.title_zh AS case_title_zh, c.title_en AS case_title_en, \
         c.status AS case_status, c.bundle_code AS bundle_code FROM case_parts p JOIN cases c ON c.id = p.case_id{} \
         ORDER BY CASE WHEN p.statutory_due IS NULL THEN 1 ELSE 0 END, p.statutory_due, p.id LIMIT {limit}",
        c.clause()
    );
    let rows = fetch(tx, sql, c.args).await?;
    rows.iter()
        .map(|r| {
            Ok(TaskRow {
                part: part_from_row(r)?,
                case_no: r.try_get("case_no")?,
                case_title: Text::new(
                    r.try_get::<String, _>("case_title_zh")?,
                    r.try_get::<String, _>("case_title_en")?,
                ),
                case_status: code(
                    "status",
                    &r.try_get::<String, _>("case_status")?,
                    CaseStatus::parse,
                )?,
                bundle_code: r.try_get("bundle_code")?,
            })
        })
        .collect()
}

pub(super) async fn certificate(
    tx: &mut Transaction<'_, Db>,
    cert_no: &str,
) -> StoreResult<Option<CertificateRecord>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CERT_COLUMNS} FROM certificates WHERE cert_no = $1"
    )))
    .bind(cert_no)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(certificate_from_row).transpose()
}

/// Per item: completed cases, how many kept the promised trip count.
pub(super) async fn trip_stats(tx: &mut Transaction<'_, Db>) -> StoreResult<Vec<TripStat>> {
    let rows = sqlx::query(
        "SELECT p.item_code AS item_code, MIN(p.name_zh) AS name_zh, MIN(p.name_en) AS name_en, \
         MIN(p.promised_trips) AS promised_trips, COUNT(*) AS completed, \
         CAST(SUM(CASE WHEN COALESCE(t.n, 0) <= p.promised_trips THEN 1 ELSE 0 END) AS BIGINT) AS within_promise, \
         CAST(SUM(COALESCE(t.n, 0)) AS BIGINT) AS trips \
         FROM case_parts p JOIN cases c ON c.id = p.case_id \
         LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM case_trips GROUP BY case_id) t ON t.case_id = p.case_id \
         WHERE c.status = 'completed' GROUP BY p.item_code ORDER BY p.item_code",
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TripStat {
                item_code: r.try_get("item_code")?,
                name: Text::new(
                    r.try_get::<String, _>("name_zh")?,
                    r.try_get::<String, _>("name_en")?,
                ),
                promised_trips: r.try_get("promised_trips")?,
                completed: r.try_get("completed")?,
                within_promise: r.try_get("within_promise")?,
                trips: r.try_get("trips")?,
            })
        })
        .collect()
}

pub(super) async fn case_counts(tx: &mut Transaction<'_, Db>) -> StoreResult<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM cases GROUP BY status ORDER BY status")
            .fetch_all(&mut **tx)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

pub(super) async fn past_acceptance(
    tx: &mut Transaction<'_, Db>,
    today: Date,
) -> StoreResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM cases WHERE status IN ('submitted', 'pre_reviewed') AND accept_due < $1 ORDER BY id",
    )
    .bind(date_text(today))
    .fetch_all(&mut **tx)
    .await?)
}

pub(super) async fn open_clocks(tx: &mut Transaction<'_, Db>) -> StoreResult<Vec<OpenClock>> {
    let rows = sqlx::query(
        "SELECT id, case_no, title_zh, title_en, region_code, status, submitted_on, accepted_on, warning FROM cases \
         WHERE status IN ('submitted', 'pre_reviewed', 'under_review', 'special_procedure', 'suspended') ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        out.push(OpenClock {
            case_id: id,
            case_no: r.try_get("case_no")?,
            title: Text::new(
                r.try_get::<String, _>("title_zh")?,
                r.try_get::<String, _>("title_en")?,
            ),
            region_code: r.try_get("region_code")?,
            status: code(
                "status",
                &r.try_get::<String, _>("status")?,
                CaseStatus::parse,
            )?,
            submitted_on: opt_date(r.try_get("submitted_on")?)?,
            accepted_on: opt_date(r.try_get("accepted_on")?)?,
            warning: warning(&r.try_get::<String, _>("warning")?)?,
            parts: load_parts(tx, id).await?,
            pauses: load_pauses(tx, id).await?,
        });
    }
    Ok(out)
}
