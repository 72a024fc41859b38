//! Staff, roles, permissions and the negative list of inherent government
//! functions (政府固有核心职能) that contractor staff may never exercise.

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;
use crate::region::RegionCode;

macro_rules! permissions {
    ($($(#[$vm:meta])* $variant:ident = $code:literal, core = $core:literal, $zh:literal, $en:literal;)+) => {
        /// A permission. Whether it is core is fixed here in code: no
        /// configuration, role edit or database row can change it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission { $($(#[$vm])* #[serde(rename = $code)] $variant,)+ }

        impl Permission {
            /// Every permission.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)+];

            /// Stable code, for example `case.accept`.
            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $code,)+ }
            }

            /// Parses a stable code.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($code => Some(Permission::$variant),)+ _ => None }
            }

            /// True when the permission exercises an inherent government
            /// function: accepting or refusing in law, approving, deciding,
            /// signing, penalising, inspecting, enforcing, certifying. Such
            /// permissions can never be held by contractor staff.
            pub fn is_core(self) -> bool {
                match self { $(Permission::$variant => $core,)+ }
            }

            /// Label in the requested language.
            pub fn label(self, lang: &str) -> &'static str {
                if lang == "en" {
                    match self { $(Permission::$variant => $en,)+ }
                } else {
                    match self { $(Permission::$variant => $zh,)+ }
                }
            }
        }
    };
}

permissions! {
    /// 咨询导办
    CaseConsult = "case.consult", core = false, "咨询导办", "Consultation and guidance";
    /// 窗口收件 / 代为填报
    CaseReceive = "case.receive", core = false, "窗口收件、帮办代办", "Receive applications at the window";
    /// 材料预审
    CasePreReview = "case.pre_review", core = false, "材料预审", "Pre-review materials";
    /// 受理 / 不予受理（依法作出）
    CaseAccept = "case.accept", core = true, "受理、不予受理", "Accept or refuse in law";
    /// 审查
    CaseReview = "case.review", core = false, "审查", "Review cases";
    /// 分派、改派审查任务
    CaseAssign = "case.assign", core = false, "分派审查任务", "Assign review tasks";
    /// 审批（含批准延期）
    CaseApprove = "case.approve", core = true, "审批", "Approve";
    /// 作出决定
    CaseDecide = "case.decide", core = true, "作出决定", "Decide";
    /// 签发 / 签章
    DocumentSign = "document.sign", core = true, "签发、签章", "Sign documents";
    /// 出证 / 核发证照
    CertificateIssue = "certificate.issue", core = true, "核发证照", "Issue certificates";
    /// 行政处罚
    PenaltyImpose = "penalty.impose", core = true, "行政处罚", "Impose penalties";
    /// 行政检查
    InspectionConduct = "inspection.conduct", core = true, "行政检查", "Conduct inspections";
    /// 行政强制
    EnforcementExecute = "enforcement.execute", core = true, "行政强制", "Enforce";
    /// 结果送达
    ResultDeliver = "result.deliver", core = false, "结果送达", "Deliver results";
    /// 编辑事项目录草稿
    CatalogueEdit = "catalogue.edit", core = false, "编辑事项目录", "Edit the catalogue";
    /// 发布事项目录（政府公开的权力清单）
    CataloguePublish = "catalogue.publish", core = true, "发布事项目录", "Publish the catalogue";
    /// 管理工作人员账号
    StaffManage = "staff.manage", core = false, "管理工作人员", "Manage staff accounts";
    /// 管理角色与授权
    RoleManage = "role.manage", core = false, "管理角色与授权", "Manage roles and grants";
    /// 查看审计日志
    AuditView = "audit.view", core = false, "查看审计日志", "View the audit log";
    /// 导出数据
    DataExport = "data.export", core = false, "导出数据", "Export data";
    /// 查看未脱敏个人信息
    DataUnmask = "data.unmask", core = false, "查看完整个人信息", "View unmasked personal data";
    /// 叫号与窗口服务
    QueueOperate = "queue.operate", core = false, "叫号与窗口服务", "Operate the queue";
    /// 效能监察
    SupervisionView = "supervision.view", core = false, "效能监察", "Supervise performance";
    /// 外包服务商管理
    ContractorManage = "contractor.manage", core = false, "外包服务商管理", "Manage contractors";
    /// 导入节假日安排
    CalendarManage = "calendar.manage", core = false, "维护节假日安排", "Maintain the holiday calendar";
    /// 管理数据共享（导入共享数据、接入数据提供方）
    SharingManage = "sharing.manage", core = false, "管理数据共享", "Manage data sharing";
}

/// 用工类型: the employment relation of a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    /// 公务员
    CivilServant,
    /// 事业编制人员
    PublicInstitution,
    /// 外包服务人员
    Contractor,
}

impl EmploymentType {
    /// Every employment type.
    pub const ALL: &'static [EmploymentType] = &[
        Self::CivilServant,
        Self::PublicInstitution,
        Self::Contractor,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CivilServant => "civil_servant",
            Self::PublicInstitution => "public_institution",
            Self::Contractor => "contractor",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Result<Self, ValidationErrors> {
        match s {
            "civil_servant" => Ok(Self::CivilServant),
            "public_institution" => Ok(Self::PublicInstitution),
            "contractor" => Ok(Self::Contractor),
            _ => Err(ValidationErrors::single(
                "",
                "invalid_employment_type",
                "用工类型应为 civil_servant / public_institution / contractor",
            )),
        }
    }

    /// Label in the requested language.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::CivilServant, "en") => "Civil servant",
            (Self::PublicInstitution, "en") => "Public-institution staff",
            (Self::Contractor, "en") => "Contractor staff",
            (Self::CivilServant, _) => "公务员",
            (Self::PublicInstitution, _) => "事业编制人员",
            (Self::Contractor, _) => "外包服务人员",
        }
    }

    /// Whether a person of this employment type may ever hold `permission`.
    pub fn may_hold(self, permission: Permission) -> bool {
        !(permission.is_core() && self == Self::Contractor)
    }
}

/// Why a grant or an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// A core permission was to be given to, or used by, contractor staff.
    #[error(
        "外包服务人员不得行使政府固有核心职能（{permission}） / contractor staff may never hold the core permission {permission}"
    )]
    CoreToContractor {
        /// The permission's code.
        permission: &'static str,
    },
    /// The permission is not held within the needed scope.
    #[error("没有“{permission}”权限 / missing permission {permission}")]
    Missing {
        /// The permission's code.
        permission: &'static str,
    },
}

/// Checks that every permission of a role may be held by `employment`.
/// Returns the first core permission that would be given to contractor staff.
pub fn check_grant(
    employment: EmploymentType,
    permissions: &[Permission],
) -> Result<(), AccessError> {
    match permissions.iter().find(|p| !employment.may_hold(**p)) {
        Some(p) => Err(AccessError::CoreToContractor {
            permission: p.as_str(),
        }),
        None => Ok(()),
    }
}

/// Where a grant applies (授权范围): a region and optionally one department
/// or one service centre within it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scope {
    /// The region the grant covers (and everything inside it).
    pub region: RegionCode,
    /// Limited to one department, if set.
    #[serde(default)]
    pub department: Option<String>,
    /// Limited to one service centre, if set.
    #[serde(default)]
    pub centre: Option<String>,
}

/// What an action is about, used to match scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The region of the thing acted on.
    pub region: Option<RegionCode>,
    /// The department responsible, if any.
    pub department: Option<String>,
    /// The service centre, if any.
    pub centre: Option<String>,
}

impl Scope {
    /// True when the scope covers the target: the target's region lies in the
    /// scope's region, and a department or centre restriction matches.
    pub fn covers(&self, target: &Target) -> bool {
        let region_ok = target
            .region
            .as_ref()
            .is_none_or(|r| r.is_within(&self.region));
        let dept_ok = match (&self.department, &target.department) {
            (Some(d), Some(t)) => d == t,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let centre_ok = match (&self.centre, &target.centre) {
            (Some(c), Some(t)) => c == t,
            (Some(_), None) => false,
            (None, _) => true,
        };
        region_ok && dept_ok && centre_ok
    }
}

/// One role granted to a staff member within a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Role code.
    pub role: String,
    /// The role's permissions at the time of the check.
    pub permissions: Vec<Permission>,
    /// Where the grant applies.
    pub scope: Scope,
}

/// The acting staff member as seen by authorisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffPrincipal {
    /// Staff id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Employment relation.
    pub employment: EmploymentType,
    /// Granted roles.
    pub grants: Vec<Grant>,
}

impl StaffPrincipal {
    /// Checks that the principal may use `permission` on `target`. Core
    /// permissions are refused to contractor staff here again, whatever the
    /// stored grants say, so that no data corruption or configuration can
    /// cross the line.
    pub fn authorize(&self, permission: Permission, target: &Target) -> Result<(), AccessError> {
        if !self.employment.may_hold(permission) {
            return Err(AccessError::CoreToContractor {
                permission: permission.as_str(),
            });
        }
        let held = self
            .grants
            .iter()
            .any(|g| g.permissions.contains(&permission) && g.scope.covers(target));
        if held {
            Ok(())
        } else {
            Err(AccessError::Missing {
                permission: permission.as_str(),
            })
        }
    }

    /// True when the principal holds `permission` anywhere (used to decide
    /// which menus to show; actions still call [`Self::authorize`]).
    pub fn has_anywhere(&self, permission: Permission) -> bool {
        self.employment.may_hold(permission)
            && self
                .grants
                .iter()
                .any(|g| g.permissions.contains(&permission))
    }
}

/// Validates a login name: 3–32 characters of `a-z 0-9 . _ -`, starting with a letter.
pub fn parse_username(input: &str) -> Result<String, ValidationErrors> {
    let s = input.trim().to_lowercase();
    let ok = (3..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(s)
    } else {
        Err(ValidationErrors::single(
            "",
            "invalid_username",
            "用户名应为3至32位小写字母、数字、. _ -，以字母开头 / 3-32 characters a-z 0-9 . _ -, starting with a letter",
        ))
    }
}

/// Validates a new password: at least 10 characters with letters and digits.
pub fn check_password_strength(password: &str) -> Result<(), ValidationErrors> {
    let long = password.chars().count() >= 10;
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if long && letters && digits && password.len() <= 256 {
        Ok(())
    } else {
        Err(ValidationErrors::single(
            "",
            "weak_password",
            "密码至少10位，须包含字母和数字 / at least 10 characters with letters and digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contractor_can_never_hold_core_permissions() {
        for p in Permission::ALL {
            assert_eq!(EmploymentType::Contractor.may_hold(*p), !p.is_core());
            assert!(EmploymentType::CivilServant.may_hold(*p));
        }
        assert!(
            check_grant(
                EmploymentType::Contractor,
                &[Permission::CaseReceive, Permission::CaseAccept]
            )
            .is_err()
        );
    }

    #[test]
    fn authorize_rechecks_core_even_with_a_stored_grant() {
        let scope = Scope {
            region: RegionCode::parse("420100").unwrap(),
            department: None,
            centre: None,
        };
        let p = StaffPrincipal {
            id: 1,
            username: "helper".into(),
            display_name: "帮办".into(),
            employment: EmploymentType::Contractor,
            grants: vec![Grant {
                role: "x".into(),
                permissions: vec![Permission::CaseAccept],
                scope,
            }],
        };
        assert!(matches!(
            p.authorize(Permission::CaseAccept, &Target::default()),
            Err(AccessError::CoreToContractor { .. })
        ));
    }
}
