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
/// The demo registries and certificates (onetrip-sharing/1).
pub const DEMO_SHARING: &str = include_str!("../../../demo/sharing.json");

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
    // The staff below give every department the demo cases touch an
    // officer, and each service centre a civil servant who accepts and
    // signs 一件事 cases (a bundle has no single department).
    (
        "sunli",
        "孙丽（市民之家首席代表）",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "420100", "", "420100-SMZJ")],
    ),
    (
        "huangwei",
        "黄伟",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "420100", "420100-GAJ", "")],
    ),
    (
        "yangxue",
        "杨雪",
        "civil_servant",
        "Demo-officer-2026",
        &[
            ("approval_officer", "420100", "420100-RSJ", ""),
            ("approval_officer", "420100", "420100-YBJ", ""),
        ],
    ),
    (
        "wujun",
        "吴军",
        "civil_servant",
        "Demo-officer-2026",
        &[
            ("approval_officer", "420100", "420100-SWJ", ""),
            ("approval_officer", "420100", "420100-GJJ", ""),
        ],
    ),
    (
        "gaofeng",
        "高峰",
        "civil_servant",
        "Demo-officer-2026",
        &[
            ("approval_officer", "420100", "420100-ZRZYGHJ", ""),
            ("approval_officer", "420100", "420100-CXJSJ", ""),
        ],
    ),
    (
        "zhoujie",
        "周杰（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "xuli",
        "徐丽（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "hemin",
        "何敏（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "guoqiang",
        "郭强（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "linna",
        "林娜（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "mali",
        "马丽（外包窗口）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420100", "", "420100-SMZJ")],
    ),
    (
        "zhanghui",
        "张慧（外包帮办）",
        "contractor",
        "Demo-helper-2026",
        &[("helper", "420111", "", "420111-ZWFWZX")],
    ),
    (
        "liuting",
        "刘婷（洪山区中心首席代表）",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "420111", "", "420111-ZWFWZX")],
    ),
    (
        "qianyu",
        "钱宇（德清县中心首席代表）",
        "civil_servant",
        "Demo-officer-2026",
        &[("approval_officer", "330521", "", "330521-XZFWZX")],
    ),
];

/// `(kind, first 17 characters, name, mobile)`; the check character is
/// computed. ID numbers carry real region codes and birth dates (the 17th
/// digit is odd for men, even for women); credit codes carry the
/// registering region (91 company, 92 sole trader, 93 co-operative).
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
    (
        "natural_person",
        "42010219880412046",
        "陈晓燕",
        "13627181234",
    ),
    (
        "natural_person",
        "42010319750923031",
        "杨志强",
        "15927035678",
    ),
    (
        "natural_person",
        "42011119960105228",
        "赵雅婷",
        "18971102345",
    ),
    (
        "natural_person",
        "42010619630517015",
        "黄建华",
        "13971456789",
    ),
    (
        "natural_person",
        "42011519710830062",
        "周丽萍",
        "15807143210",
    ),
    (
        "natural_person",
        "42010419930218057",
        "吴俊杰",
        "18627093456",
    ),
    (
        "natural_person",
        "42011119940627084",
        "徐婷婷",
        "13545067890",
    ),
    (
        "natural_person",
        "42010219900909113",
        "孙浩然",
        "15071234567",
    ),
    (
        "natural_person",
        "42010619971212146",
        "胡佳怡",
        "18502761234",
    ),
    (
        "natural_person",
        "42011119820301239",
        "朱明辉",
        "13886012345",
    ),
    ("natural_person", "42010319910716168", "郭静", "15172345678"),
    (
        "natural_person",
        "42011519870422071",
        "何振宇",
        "18986123456",
    ),
    (
        "natural_person",
        "42011119661001019",
        "马国庆",
        "13307156789",
    ),
    (
        "natural_person",
        "33052119680614026",
        "沈玉兰",
        "13905728765",
    ),
    (
        "natural_person",
        "33052119800811015",
        "姚伟东",
        "15857234567",
    ),
    (
        "natural_person",
        "33052119891127037",
        "钱晓峰",
        "18857201234",
    ),
    (
        "natural_person",
        "33052119950306048",
        "陆佳琪",
        "13567245678",
    ),
    (
        "legal_entity",
        "91420100MA4L2R7H6",
        "武汉江城食品有限公司",
        "13871345678",
    ),
    (
        "legal_entity",
        "91420100MA49K8E3X",
        "湖北楚天建设工程有限公司",
        "15926789012",
    ),
    (
        "legal_entity",
        "92420111MA4F6T8P1",
        "武汉市洪山区味之源餐饮店",
        "18607151234",
    ),
    (
        "legal_entity",
        "91420100MA4K9WJ2U",
        "武汉东湖人力资源服务有限公司",
        "13797012345",
    ),
    (
        "legal_entity",
        "93330521MA2D7Y5N3",
        "德清县莫干山农产品专业合作社",
        "15968234567",
    ),
    (
        "legal_entity",
        "91420100MA4M3Q6B8",
        "湖北长江医药连锁有限公司",
        "18171234567",
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
    /// Loads the whole demo into an empty database — catalogue, roles,
    /// staff, applicants and about 300 cases in every state (see
    /// [`App::load_demo_cases`]) — signs an audit checkpoint and returns the
    /// accounts. This is what `onetrip demo` shows.
    pub async fn load_demo_with_cases(&self) -> AppResult<Vec<DemoAccount>> {
        let accounts = self.load_demo().await?;
        self.load_demo_cases().await?;
        self.load_demo_hall().await?;
        self.anchor
            .checkpoint(self.store.as_ref(), self.now())
            .await?;
        Ok(accounts)
    }

    /// Loads the demo catalogue, roles, staff and applicants but no cases
    /// (for benchmarks and tests that file their own), signs an audit
    /// checkpoint and returns the accounts.
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
        let sharing: onetrip_domain::evidence::SharingDocument = serde_json::from_str(DEMO_SHARING)
            .map_err(|e| AppError::Internal(format!("demo sharing data: {e}")))?;
        self.import_sharing_as("system", &sharing).await?;
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
