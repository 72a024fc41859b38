//! The roles OneTrip ships with. Administrators may add roles; whatever they
//! add, core permissions still never reach contractor staff.

use onetrip_domain::access::Permission::{self, *};
use onetrip_store::RoleRecord;

/// `(code, 中文名, English name, permissions)` of every built-in role.
pub const BUILTIN_ROLES: &[(&str, &str, &str, &[Permission])] = &[
    (
        "helper",
        "帮办代办员",
        "Front-desk helper",
        &[
            CaseConsult,
            CaseReceive,
            CasePreReview,
            QueueOperate,
            ResultDeliver,
        ],
    ),
    ("reviewer", "审查人员", "Department reviewer", &[CaseReview]),
    (
        "approval_officer",
        "审批人员",
        "Approval officer",
        &[
            CaseReview,
            CaseAssign,
            CaseAccept,
            CaseApprove,
            CaseDecide,
            DocumentSign,
            CertificateIssue,
        ],
    ),
    (
        "catalogue_editor",
        "事项编辑",
        "Catalogue editor",
        &[CatalogueEdit],
    ),
    (
        "catalogue_publisher",
        "事项发布审核",
        "Catalogue publisher",
        &[CatalogueEdit, CataloguePublish],
    ),
    (
        "centre_manager",
        "中心管理人员",
        "Service-centre manager",
        &[
            SupervisionView,
            AuditView,
            DataExport,
            CatalogueEdit,
            QueueOperate,
        ],
    ),
    (
        "supervisor",
        "效能监察员",
        "Performance supervisor",
        &[SupervisionView, AuditView, DataUnmask],
    ),
    (
        "contractor_manager",
        "外包服务商管理员",
        "Contractor manager",
        &[ContractorManage],
    ),
    (
        "system_admin",
        "系统管理员",
        "System administrator",
        &[
            StaffManage,
            RoleManage,
            AuditView,
            DataExport,
            CalendarManage,
            SharingManage,
        ],
    ),
];

/// The built-in roles as records.
pub fn builtin_roles() -> Vec<RoleRecord> {
    BUILTIN_ROLES
        .iter()
        .map(|(code, zh, en, permissions)| RoleRecord {
            code: (*code).to_owned(),
            name_zh: (*zh).to_owned(),
            name_en: (*en).to_owned(),
            permissions: permissions.to_vec(),
        })
        .collect()
}
