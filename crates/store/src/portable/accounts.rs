//! Staff, roles, grants and applicants.

use onetrip_domain::access::{
    EmploymentType, Grant, Permission, Scope, StaffPrincipal, check_grant,
};
use onetrip_domain::identity::ApplicantIdentity;
use onetrip_domain::region::RegionCode;
use serde_json::json;
use sqlx::{Row, Transaction};

use super::{Db, audit};
use crate::{
    ApplicantRecord, Ctx, GrantRecord, NewApplicant, NewStaff, PrincipalKind, RoleRecord,
    StaffRecord, StoreError, StoreResult,
};

type DbRow = <Db as sqlx::Database>::Row;

const STAFF_COLUMNS: &str =
    "id, username, display_name, employment_type, password_hash, disabled, created_at";

fn staff_from_row(row: &DbRow) -> StoreResult<StaffRecord> {
    let employment: String = row.try_get("employment_type")?;
    Ok(StaffRecord {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        employment: EmploymentType::parse(&employment)
            .map_err(|_| StoreError::Corrupt(format!("employment type {employment}")))?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at_micros: row.try_get("created_at")?,
    })
}

pub(super) async fn create_staff(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewStaff,
) -> StoreResult<StaffRecord> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (username, display_name, employment_type, password_hash, disabled, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(&new.username)
    .bind(&new.display_name)
    .bind(new.employment.as_str())
    .bind(&new.password_hash)
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "用户名已被使用 / the username is taken"))?;
    audit::append(
        tx,
        ctx,
        "staff.create",
        &format!("staff:{id}"),
        json!({ "username": new.username, "employment_type": new.employment.as_str() }),
    )
    .await?;
    Ok(StaffRecord {
        id,
        username: new.username.clone(),
        display_name: new.display_name.clone(),
        employment: new.employment,
        password_hash: new.password_hash.clone(),
        disabled: false,
        created_at_micros: ctx.at_micros,
    })
}

pub(super) async fn staff_where(
    executor: impl sqlx::Executor<'_, Database = Db>,
    by_id: Option<i64>,
    by_username: Option<&str>,
) -> StoreResult<Option<StaffRecord>> {
    let row = match (by_id, by_username) {
        (Some(id), _) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {STAFF_COLUMNS} FROM staff WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(executor)
            .await?
        }
        (None, Some(name)) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {STAFF_COLUMNS} FROM staff WHERE username = $1"
            )))
            .bind(name.to_owned())
            .fetch_optional(executor)
            .await?
        }
        (None, None) => None,
    };
    row.as_ref().map(staff_from_row).transpose()
}

pub(super) async fn list_staff(pool: &sqlx::Pool<Db>) -> StoreResult<Vec<StaffRecord>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_COLUMNS} FROM staff ORDER BY username"
    )))
    .fetch_all(pool)
    .await?;
    rows.iter().map(staff_from_row).collect()
}

pub(super) async fn set_disabled(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    id: i64,
    disabled: bool,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE staff SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("staff {id}")));
    }
    let ended = if disabled {
        super::sessions::revoke_all(tx, ctx, PrincipalKind::Staff, id).await?
    } else {
        0
    };
    let action = if disabled {
        "staff.disable"
    } else {
        "staff.enable"
    };
    audit::append(
        tx,
        ctx,
        action,
        &format!("staff:{id}"),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    Ok(())
}

pub(super) async fn set_password(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    id: i64,
    hash: &str,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("staff {id}")));
    }
    let ended = super::sessions::revoke_all(tx, ctx, PrincipalKind::Staff, id).await?;
    audit::append(
        tx,
        ctx,
        "staff.password_change",
        &format!("staff:{id}"),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    Ok(())
}

fn parse_permissions(text: &str) -> StoreResult<Vec<Permission>> {
    text.split_whitespace()
        .map(|p| Permission::parse(p).ok_or_else(|| StoreError::Corrupt(format!("permission {p}"))))
        .collect()
}

fn role_from_row(row: &DbRow) -> StoreResult<RoleRecord> {
    Ok(RoleRecord {
        code: row.try_get("code")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        permissions: parse_permissions(&row.try_get::<String, _>("permissions")?)?,
    })
}

pub(super) async fn roles(
    executor: impl sqlx::Executor<'_, Database = Db>,
) -> StoreResult<Vec<RoleRecord>> {
    let rows = sqlx::query("SELECT code, name_zh, name_en, permissions FROM roles ORDER BY code")
        .fetch_all(executor)
        .await?;
    rows.iter().map(role_from_row).collect()
}

async fn role(tx: &mut Transaction<'_, Db>, code: &str) -> StoreResult<Option<RoleRecord>> {
    let row = sqlx::query("SELECT code, name_zh, name_en, permissions FROM roles WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(role_from_row).transpose()
}

pub(super) async fn save_role(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    role: &RoleRecord,
) -> StoreResult<()> {
    let mut permissions: Vec<&str> = role.permissions.iter().map(|p| p.as_str()).collect();
    permissions.sort_unstable();
    permissions.dedup();
    let permissions = permissions.join(" ");
    // Write the role first: the upsert locks its row, which `grant` locks too
    // before reading the role, so a concurrent grant either commits before the
    // holder check below runs (and is seen by it) or reads the new permissions
    // after this commits. A refusal rolls the upsert back.
    sqlx::query(
        "INSERT INTO roles (code, name_zh, name_en, permissions) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, permissions = excluded.permissions",
    )
    .bind(&role.code)
    .bind(&role.name_zh)
    .bind(&role.name_en)
    .bind(&permissions)
    .execute(&mut **tx)
    .await?;
    // A role edit must not hand a core permission to a contractor who holds the role.
    let holders = sqlx::query(
        "SELECT DISTINCT s.employment_type FROM staff_grants g JOIN staff s ON s.id = g.staff_id WHERE g.role_code = $1",
    )
    .bind(&role.code)
    .fetch_all(&mut **tx)
    .await?;
    for h in &holders {
        let employment: String = h.try_get(0)?;
        let employment = EmploymentType::parse(&employment)
            .map_err(|_| StoreError::Corrupt(employment.clone()))?;
        check_grant(employment, &role.permissions)?;
    }
    audit::append(
        tx,
        ctx,
        "role.save",
        &format!("role:{}", role.code),
        json!({ "permissions": permissions }),
    )
    .await?;
    Ok(())
}

pub(super) async fn grant(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    staff_id: i64,
    role_code: &str,
    scope: &Scope,
) -> StoreResult<i64> {
    let Some(staff) = staff_where(&mut **tx, Some(staff_id), None).await? else {
        return Err(StoreError::NotFound(format!("staff {staff_id}")));
    };
    // Lock the role row (a no-op update) so that a concurrent `save_role`
    // cannot add a core permission between this check and the commit.
    sqlx::query("UPDATE roles SET permissions = permissions WHERE code = $1")
        .bind(role_code)
        .execute(&mut **tx)
        .await?;
    let Some(role) = role(tx, role_code).await? else {
        return Err(StoreError::NotFound(format!("role {role_code}")));
    };
    // The negative list: a role with a core permission never reaches contractor staff.
    check_grant(staff.employment, &role.permissions)?;
    let region_known: Option<String> =
        sqlx::query_scalar("SELECT code FROM regions WHERE code = $1")
            .bind(scope.region.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    if region_known.is_none() {
        return Err(StoreError::NotFound(format!("region {}", scope.region)));
    }
    if let Some(centre) = &scope.centre {
        let region: Option<String> =
            sqlx::query_scalar("SELECT region_code FROM service_centres WHERE code = $1")
                .bind(centre)
                .fetch_optional(&mut **tx)
                .await?;
        match region.map(|r| RegionCode::parse(&r)) {
            Some(Ok(r)) if r.is_within(&scope.region) => {}
            Some(_) => {
                return Err(StoreError::Invalid(
                    onetrip_domain::ValidationErrors::single(
                        "scope.centre",
                        "outside_region",
                        "服务中心不在授权区划内 / the service centre is outside the scope's region",
                    ),
                ));
            }
            None => return Err(StoreError::NotFound(format!("service centre {centre}"))),
        }
    }
    if let Some(dept) = &scope.department {
        let region: Option<String> =
            sqlx::query_scalar("SELECT region_code FROM departments WHERE code = $1")
                .bind(dept)
                .fetch_optional(&mut **tx)
                .await?;
        match region.map(|r| RegionCode::parse(&r)) {
            Some(Ok(r)) if r.is_within(&scope.region) => {}
            Some(_) => {
                return Err(StoreError::Invalid(
                    onetrip_domain::ValidationErrors::single(
                        "scope.department",
                        "outside_region",
                        "部门不在授权区划内 / the department is outside the scope's region",
                    ),
                ));
            }
            None => return Err(StoreError::NotFound(format!("department {dept}"))),
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_grants (staff_id, role_code, region_code, department_code, centre_code, granted_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(staff_id)
    .bind(role_code)
    .bind(scope.region.as_str())
    .bind(scope.department.clone().unwrap_or_default())
    .bind(scope.centre.clone().unwrap_or_default())
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "该授权已存在 / the grant exists already"))?;
    audit::append(
        tx,
        ctx,
        "grant.add",
        &format!("staff:{staff_id}"),
        json!({ "grant": id, "role": role_code, "region": scope.region.as_str(), "department": scope.department, "centre": scope.centre }),
    )
    .await?;
    Ok(id)
}

pub(super) async fn revoke_grant(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    grant_id: i64,
) -> StoreResult<()> {
    let staff_id: Option<i64> =
        sqlx::query_scalar("DELETE FROM staff_grants WHERE id = $1 RETURNING staff_id")
            .bind(grant_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(staff_id) = staff_id else {
        return Err(StoreError::NotFound(format!("grant {grant_id}")));
    };
    audit::append(
        tx,
        ctx,
        "grant.remove",
        &format!("staff:{staff_id}"),
        json!({ "grant": grant_id }),
    )
    .await?;
    Ok(())
}

fn grant_from_row(row: &DbRow) -> StoreResult<GrantRecord> {
    let region: String = row.try_get("region_code")?;
    let department: String = row.try_get("department_code")?;
    let centre: String = row.try_get("centre_code")?;
    Ok(GrantRecord {
        id: row.try_get("id")?,
        staff_id: row.try_get("staff_id")?,
        role: row.try_get("role_code")?,
        scope: Scope {
            region: RegionCode::parse(&region)
                .map_err(|_| StoreError::Corrupt(format!("region {region}")))?,
            department: (!department.is_empty()).then_some(department),
            centre: (!centre.is_empty()).then_some(centre),
        },
        granted_at_micros: row.try_get("granted_at")?,
    })
}

pub(super) async fn grants(
    executor: impl sqlx::Executor<'_, Database = Db>,
    staff_id: i64,
) -> StoreResult<Vec<GrantRecord>> {
    let rows = sqlx::query(
        "SELECT id, staff_id, role_code, region_code, department_code, centre_code, granted_at FROM staff_grants \
         WHERE staff_id = $1 ORDER BY id",
    )
    .bind(staff_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(grant_from_row).collect()
}

pub(super) async fn principal(
    tx: &mut Transaction<'_, Db>,
    id: i64,
) -> StoreResult<Option<StaffPrincipal>> {
    let Some(staff) = staff_where(&mut **tx, Some(id), None).await? else {
        return Ok(None);
    };
    if staff.disabled {
        return Ok(None);
    }
    let all_roles = roles(&mut **tx).await?;
    let grants = grants(&mut **tx, id)
        .await?
        .into_iter()
        .filter_map(|g| {
            let role = all_roles.iter().find(|r| r.code == g.role)?;
            Some(Grant {
                role: g.role,
                permissions: role.permissions.clone(),
                scope: g.scope,
            })
        })
        .collect();
    Ok(Some(StaffPrincipal {
        id: staff.id,
        username: staff.username,
        display_name: staff.display_name,
        employment: staff.employment,
        grants,
    }))
}

const APPLICANT_COLUMNS: &str =
    "id, kind, identifier, name, mobile, email, password_hash, disabled";

fn applicant_from_row(row: &DbRow) -> StoreResult<ApplicantRecord> {
    let kind: String = row.try_get("kind")?;
    let identifier: String = row.try_get("identifier")?;
    Ok(ApplicantRecord {
        id: row.try_get("id")?,
        identity: ApplicantIdentity::parse(&kind, &identifier)
            .map_err(|_| StoreError::Corrupt(format!("applicant identifier of kind {kind}")))?,
        name: row.try_get("name")?,
        mobile: row.try_get("mobile")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

pub(super) async fn register_applicant(
    tx: &mut Transaction<'_, Db>,
    ctx: &Ctx,
    new: &NewApplicant,
) -> StoreResult<ApplicantRecord> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applicants (kind, identifier, name, mobile, email, password_hash, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
    )
    .bind(new.identity.kind())
    .bind(new.identity.identifier())
    .bind(&new.name)
    .bind(&new.mobile)
    .bind(&new.email)
    .bind(&new.password_hash)
    .bind(ctx.at_micros)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_as_conflict(e, "该证件号码已注册 / this identifier is registered already"))?;
    audit::append(
        tx,
        ctx,
        "applicant.register",
        &format!("applicant:{id}"),
        json!({ "kind": new.identity.kind(), "identifier": new.identity.masked() }),
    )
    .await?;
    Ok(ApplicantRecord {
        id,
        identity: new.identity.clone(),
        name: new.name.clone(),
        mobile: new.mobile.clone(),
        email: new.email.clone(),
        password_hash: new.password_hash.clone(),
        disabled: false,
    })
}

pub(super) async fn applicant_where(
    pool: &sqlx::Pool<Db>,
    id: Option<i64>,
    identifier: Option<&str>,
) -> StoreResult<Option<ApplicantRecord>> {
    let row = match (id, identifier) {
        (Some(id), _) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {APPLICANT_COLUMNS} FROM applicants WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        }
        (None, Some(ident)) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {APPLICANT_COLUMNS} FROM applicants WHERE identifier = $1"
            )))
            .bind(ident.trim().to_uppercase())
            .fetch_optional(pool)
            .await?
        }
        (None, None) => None,
    };
    row.as_ref().map(applicant_from_row).transpose()
}

pub(super) async fn list_applicants(
    pool: &sqlx::Pool<Db>,
    limit: i64,
) -> StoreResult<Vec<ApplicantRecord>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICANT_COLUMNS} FROM applicants ORDER BY id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(applicant_from_row).collect()
}
