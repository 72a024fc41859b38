//! Demo data: the demo catalogue, the built-in roles, staff accounts with
//! realistic grants, and applicants with valid identifiers.

use onetrip_domain::access::Scope;
use onetrip_domain::catalogue::CatalogueDocument;
use onetrip_domain::identity::{CreditCode, ResidentIdNumber};
use onetrip_domain::region::RegionCode;

use crate::App;
use crate::admin::StaffForm;
use crate::applicants::RegistrationForm;
use crate::error::{AppError, AppResult};
use crate::roles::builtin_roles;

/// The demo catalogue shipped with OneTrip (`demo/catalogue.json`).
pub const DEMO_CATALOGUE: &str = include_str!("../../../demo/catalogue.json");

/// One demo account, printed when the demo starts.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// What the account is for.
    pub role: &'static str,
    /// Login name (staff) or identifier (applicant).
    pub login: String,
    /// Password.
    pub password: &'static str,
}

/// `(username, display name, employment, password, [(role, region, department, centre)])`
type DemoStaff = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str, &'static str)],
);

const STAFF: &[DemoStaff] = &[
    (
        "admin",
        "系统管理员 周建国",
        "civil_servant",
        "Demo-admin-2026",
        &[
            ("system_admin", "420000", "", ""),
            ("catalogue_publisher", "420000", "", ""),
            ("centre_manager", "420100", "", "420100-SMZJ"),
        ],
    ),
    (
        "wangfang",
        "王芳（外包帮办）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "liuyang",
        "刘洋（外包帮办）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "330521", "", "330521-XZFWZX")],
    ),
    (
        "liqiang",
        "李强",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "420100", "420100-SCJGJ", "")],
    ),
    (
        "chenjing",
        "陈静",
        "public_institution",
        "Demo-editor-2026",
        &[
            ("catalogue_editor", "420100", "", ""),
            ("reviewer", "420100", "420100-RSJ", ""),
        ],
    ),
    (
        "zhaomin",
        "赵敏",
        "civil_servant",
        "Demo-super-2026",
        &[("supervisor", "420000", "", "")],
    ),
    (
        "shenhua",
        "沈华",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "330521", "330521-SCJGJ", "")],
    ),
];

/// `(kind, first 17 characters, name, mobile, email)`; the check character is computed.
const APPLICANTS: &[(&str, &str, &str, &str)] = &[
    ("natural_person", "42011119900315123", "张伟", "13871234567"),
    ("natural_person", "42010619851108264", "李娜", "13907125566"),
    ("natural_person", "33052119920721301", "王磊", "13757212345"),
    (
        "legal_entity",
        "91420100MA4KX1B2C",
        "武汉光谷智造科技有限公司",
        "02787654321",
    ),
    (
        "legal_entity",
        "91330521MA2B3C4D5",
        "德清县莫干山民宿管理有限公司",
        "05728012345",
    ),
];

const APPLICANT_PASSWORD: &str = "Demo-applicant-2026";

fn full_identifier(kind: &str, first17: &str) -> AppResult<String> {
    let check = if kind == "natural_person" {
        ResidentIdNumber::check_character(first17)
    } else {
        CreditCode::check_character(first17)
    };
    check
        .map(|c| format!("{first17}{c}"))
        .ok_or_else(|| AppError::Internal(format!("demo identifier {first17} is malformed")))
}

impl App {
    /// Loads the demo data into an empty database and returns the accounts.
    pub async fn load_demo(&self) -> AppResult<Vec<DemoAccount>> {
        let doc: CatalogueDocument = serde_json::from_str(DEMO_CATALOGUE)
            .map_err(|e| AppError::Internal(format!("demo catalogue: {e}")))?;
        self.import_catalogue_as("system", &doc).await?;
        self.install_builtin_roles().await?;
        let mut accounts = Vec::new();
        for (username, display_name, employment, password, grants) in STAFF {
            let staff = self
                .create_staff_as(
                    "system",
                    &StaffForm {
                        username: (*username).to_owned(),
                        display_name: (*display_name).to_owned(),
                        employment_type: (*employment).to_owned(),
                        password: (*password).to_owned(),
                    },
                )
                .await?;
            for (role, region, department, centre) in *grants {
                let scope = Scope {
                    region: RegionCode::parse(region)?,
                    department: (!department.is_empty()).then(|| (*department).to_owned()),
                    centre: (!centre.is_empty()).then(|| (*centre).to_owned()),
                };
                self.grant_role_as("system", staff.id, role, &scope).await?;
            }
            accounts.push(DemoAccount {
                role: display_name,
                login: (*username).to_owned(),
                password,
            });
        }
        for (kind, first17, name, mobile) in APPLICANTS {
            let identifier = full_identifier(kind, first17)?;
            let mobile = if mobile.starts_with('1') {
                (*mobile).to_owned()
            } else {
                "13800000000".to_owned()
            };
            self.register_applicant(&RegistrationForm {
                kind: (*kind).to_owned(),
                identifier: identifier.clone(),
                name: (*name).to_owned(),
                mobile,
                email: String::new(),
                password: APPLICANT_PASSWORD.to_owned(),
            })
            .await?;
            accounts.push(DemoAccount {
                role: name,
                login: identifier,
                password: APPLICANT_PASSWORD,
            });
        }
        self.anchor
            .checkpoint(self.store.as_ref(), self.now())
            .await?;
        Ok(accounts)
    }

    /// Creates or refreshes the built-in roles.
    pub async fn install_builtin_roles(&self) -> AppResult<()> {
        for role in builtin_roles() {
            self.save_role_as("system", &role).await?;
        }
        Ok(())
    }
}
