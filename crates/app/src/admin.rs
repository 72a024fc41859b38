//! Staff, role and grant administration.
//!
//! Rules: `staff.manage` creates, disables and resets accounts; `role.manage`
//! edits roles and grants. A grant or role edit that would give a core
//! permission to contractor staff is refused with a clear error and the
//! refused attempt is itself audited.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::{
    EmploymentType, Permission, Scope, Target, check_password_strength, parse_username,
};
use onetrip_store::{NewStaff, PrincipalKind, RoleRecord, StaffRecord, StoreError};
use serde_json::json;

use crate::App;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};
use crate::passwords::hash_password;

/// Input for a new staff account, as submitted.
#[derive(Debug, Clone)]
pub struct StaffForm {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// `civil_servant`, `public_institution` or `contractor`.
    pub employment_type: String,
    /// Initial password.
    pub password: String,
}

impl App {
    /// Creates a staff account after validating every field.
    pub async fn create_staff(&self, who: &Principal, form: &StaffForm) -> AppResult<StaffRecord> {
        who.staff()?
            .authorize(Permission::StaffManage, &Target::default())?;
        self.create_staff_as(&who.actor(), form).await
    }

    /// Creates a staff account as an operator (CLI, demo loader).
    pub async fn create_staff_as(&self, actor: &str, form: &StaffForm) -> AppResult<StaffRecord> {
        let mut errors = ValidationErrors::new();
        let username = errors.check("username", parse_username(&form.username));
        if form.display_name.trim().is_empty() || form.display_name.chars().count() > 40 {
            errors.push(
                "display_name",
                "required",
                "姓名必填，不超过40字 / a display name of at most 40 characters is required",
            );
        }
        let employment = errors.check(
            "employment_type",
            EmploymentType::parse(&form.employment_type),
        );
        errors.check("password", check_password_strength(&form.password));
        let (Some(username), Some(employment), true) = (username, employment, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let new = NewStaff {
            username,
            display_name: form.display_name.trim().to_owned(),
            employment,
            password_hash: hash_password(&form.password)?,
        };
        Ok(self.store.create_staff(&self.ctx(actor), &new).await?)
    }

    /// Grants a role in a scope; refuses core roles for contractor staff.
    pub async fn grant_role(
        &self,
        who: &Principal,
        staff_id: i64,
        role: &str,
        scope: &Scope,
    ) -> AppResult<i64> {
        let me = who.staff()?;
        // A grant is made only inside the granter's own scope, and never to oneself.
        let target = Target {
            region: Some(scope.region.clone()),
            department: scope.department.clone(),
            centre: scope.centre.clone(),
        };
        me.authorize(Permission::RoleManage, &target)?;
        if me.id == staff_id {
            return Err(AppError::Forbidden(
                "不能给自己授权 / you cannot grant roles to yourself".to_owned(),
            ));
        }
        self.grant_role_as(&who.actor(), staff_id, role, scope)
            .await
    }

    /// Grants a role as an operator; the negative list applies all the same.
    pub async fn grant_role_as(
        &self,
        actor: &str,
        staff_id: i64,
        role: &str,
        scope: &Scope,
    ) -> AppResult<i64> {
        let ctx = self.ctx(actor);
        match self.store.grant_role(&ctx, staff_id, role, scope).await {
            Err(StoreError::Forbidden(refused)) => {
                self.store
                    .record_event(
                        &ctx,
                        "grant.refused",
                        &format!("staff:{staff_id}"),
                        &json!({ "role": role, "reason": refused.to_string() }),
                    )
                    .await?;
                Err(refused.into())
            }
            other => Ok(other?),
        }
    }

    /// Removes a grant.
    pub async fn revoke_grant(&self, who: &Principal, grant_id: i64) -> AppResult<()> {
        who.staff()?
            .authorize(Permission::RoleManage, &Target::default())?;
        Ok(self
            .store
            .revoke_grant(&self.ctx(&who.actor()), grant_id)
            .await?)
    }

    /// Creates or edits a role; refused when a contractor holding it would gain a core permission.
    pub async fn save_role(&self, who: &Principal, role: &RoleRecord) -> AppResult<()> {
        who.staff()?
            .authorize(Permission::RoleManage, &Target::default())?;
        self.save_role_as(&who.actor(), role).await
    }

    /// Saves a role as an operator.
    pub async fn save_role_as(&self, actor: &str, role: &RoleRecord) -> AppResult<()> {
        let mut errors = ValidationErrors::new();
        if parse_username(&role.code).is_err() {
            errors.push(
                "code",
                "invalid_code",
                "角色编码应为3至32位小写字母、数字、. _ - / 3-32 characters a-z 0-9 . _ -",
            );
        }
        if role.name_zh.trim().is_empty() {
            errors.push(
                "name_zh",
                "required",
                "角色中文名必填 / the Chinese name is required",
            );
        }
        if role.name_en.trim().is_empty() {
            errors.push(
                "name_en",
                "required",
                "角色英文名必填 / the English name is required",
            );
        }
        if role.permissions.is_empty() {
            errors.push(
                "permissions",
                "required",
                "至少一项权限 / at least one permission",
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let ctx = self.ctx(actor);
        match self.store.save_role(&ctx, role).await {
            Err(StoreError::Forbidden(refused)) => {
                self.store
                    .record_event(
                        &ctx,
                        "role.refused",
                        &format!("role:{}", role.code),
                        &json!({ "reason": refused.to_string() }),
                    )
                    .await?;
                Err(refused.into())
            }
            other => Ok(other?),
        }
    }

    /// Disables or re-enables an account; disabling ends its sessions at once.
    pub async fn set_staff_disabled(
        &self,
        who: &Principal,
        staff_id: i64,
        disabled: bool,
    ) -> AppResult<()> {
        let me = who.staff()?;
        me.authorize(Permission::StaffManage, &Target::default())?;
        if me.id == staff_id && disabled {
            return Err(AppError::Conflict(
                "不能停用自己的账号 / you cannot disable your own account".to_owned(),
            ));
        }
        Ok(self
            .store
            .set_staff_disabled(&self.ctx(&who.actor()), staff_id, disabled)
            .await?)
    }

    /// Ends every session of a staff member (for example after a lost device).
    pub async fn revoke_staff_sessions(&self, who: &Principal, staff_id: i64) -> AppResult<u64> {
        let me = who.staff()?;
        if me.id != staff_id {
            me.authorize(Permission::StaffManage, &Target::default())?;
        }
        Ok(self
            .store
            .revoke_sessions_of(&self.ctx(&who.actor()), PrincipalKind::Staff, staff_id)
            .await?)
    }
}
