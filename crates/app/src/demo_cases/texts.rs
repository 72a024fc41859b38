//! Realistic Chinese texts for the demo cases: what helpers write in a
//! one-time correction notice, why an application is refused and where to
//! go instead, officers' opinions and denial reasons, special procedures,
//! suspensions and withdrawals, addresses and walk-in applicants.

use onetrip_domain::case::{CorrectionProblem, PauseKind};

/// Correction notes: (problem, note). `{m}` is replaced by the material name.
pub const CORRECTIONS: &[(CorrectionProblem, &str)] = &[
    (
        CorrectionProblem::Missing,
        "未提交{m}，请补充上传原件扫描件（PDF，每页清晰完整）。",
    ),
    (
        CorrectionProblem::Unclear,
        "{m}扫描件模糊、四角不全，无法辨认印章和签名，请重新扫描上传。",
    ),
    (
        CorrectionProblem::Defective,
        "{m}缺少申请人（法定代表人）签字及日期，请签字后重新上传。",
    ),
    (
        CorrectionProblem::Expired,
        "{m}已超过有效期，请提供在有效期内的文件。",
    ),
    (
        CorrectionProblem::Inconsistent,
        "{m}所载地址与申请表填写的地址不一致，请核对后提供一致的材料。",
    ),
];

/// Refusal reasons with the competent authority to apply to instead.
pub const REFUSALS: &[(&str, &str)] = &[
    (
        "经审查，申请事项依法不属于本机关职权范围：申请人住所位于江夏区，应向住所地登记机关申请。",
        "江夏区市场监督管理局（江夏区政务服务中心一楼综合受理窗口）",
    ),
    (
        "申请人申请的经营项目属于《市场准入负面清单》禁止准入事项，依法不予受理。",
        "",
    ),
    (
        "同一申请人就同一事项已有正在办理的申请（办件仍在审查中），不得重复申请。",
        "",
    ),
    (
        "申请事项依法需先取得前置审批文件，申请人未能提供且无法补正，依法不予受理。",
        "请先向行业主管部门申请前置许可后再行申请",
    ),
    (
        "申请人不具备申请资格：申请时未达到法定退休年龄，且不符合提前退休条件。",
        "可咨询12333人社服务热线了解弹性退休政策",
    ),
];

/// Approval opinions.
pub const OPINIONS: &[&str] = &[
    "经审查，申请材料齐全、符合法定形式，符合法定条件，同意准予。",
    "经审查，申请人符合相关规定，材料真实有效，准予办理。",
    "经现场核查，经营场所与申报情况一致，符合条件，准予许可。",
    "申请人已作出告知承诺，材料齐全，依法准予。",
    "经数据共享核验，申请人信息一致，同意办理。",
];

/// Denial reasons.
pub const DENIALS: &[&str] = &[
    "经现场核查，经营场所实际面积与申报不符，且未设置独立的原料存放区，不符合许可条件，依法不予许可。",
    "经审查，申请人提交的技术方案未达到国家现行强制性标准要求，依法不予许可。",
    "经核查，申请人存在尚未履行完毕的行政处罚决定，依据相关规定不予准予。",
    "经审查，申请人参保缴费年限不足十五年，暂不符合按月领取基本养老金条件。",
];

/// Officers' comments while reviewing.
pub const COMMENTS: &[&str] = &[
    "已调取电子证照核验，信息一致，拟同意。",
    "材料已初审，需进一步核实经营场所情况，已电话联系申请人预约现场核查。",
    "已与申请人电话确认经营范围表述，待审批负责人签批。",
    "拟同意，报分管负责人审定。",
];

/// Special procedures with their reasons.
pub const SPECIAL: &[(PauseKind, &str)] = &[
    (
        PauseKind::SiteSurvey,
        "需对经营场所进行现场核查，已与申请人约定核查时间，现场核查时间不计入审批时限。",
    ),
    (
        PauseKind::ExpertReview,
        "项目采用新技术、新材料，依法组织专家评审，评审时间不计入审批时限。",
    ),
    (
        PauseKind::Hearing,
        "该许可事项直接涉及申请人与他人之间重大利益关系，利害关系人申请听证，依法组织听证。",
    ),
    (
        PauseKind::Testing,
        "需对送检样品进行检验检测，检测报告出具前审批时限中止计算。",
    ),
    (
        PauseKind::PublicNotice,
        "依法对拟批准事项进行公示，公示期7日，公示期间不计入审批时限。",
    ),
];

/// Suspension reasons.
pub const SUSPENSIONS: &[&str] = &[
    "申请人申请暂缓办理：需等待股东会决议重新作出后继续办理。",
    "所涉不动产存在查封登记，待人民法院解除查封后恢复办理。",
    "申请人因病住院，书面申请暂停办理，待出院后恢复。",
];

/// Withdrawal reasons.
pub const WITHDRAWALS: &[&str] = &[
    "经营计划调整，暂不开办，申请撤回。",
    "填报事项选择错误，撤回后重新申请。",
    "已在其他地区办理，本次申请撤回。",
    "资料准备不全，撤回申请，备齐后再来办理。",
];

/// Extension reasons told to the applicant.
pub const EXTENSIONS: &[&str] = &[
    "该项目涉及多个部门联合审查，二十个工作日内不能作出决定，经本机关负责人批准延长十个工作日。",
    "申请材料涉及的技术问题较为复杂，需进一步论证，经负责人批准延长审批期限。",
];

/// Courier carriers and tracking number prefixes.
pub const CARRIERS: &[(&str, &str)] = &[("中国邮政EMS", "11"), ("顺丰速运", "SF")];

/// Who signed for a courier delivery or a pickup.
pub const COURIER_RECEIPTS: &[&str] = &["本人签收", "家人代签收（已电话确认）", "单位前台代签收"];

/// Notes when a result is collected at the window.
pub const PICKUP_RECEIPTS: &[&str] = &[
    "申请人本人持身份证原件领取",
    "受托人持授权委托书及身份证原件代领",
];

/// Addresses by city prefix (first four digits of the region code).
pub fn addresses(region: &str) -> &'static [&'static str] {
    if region.starts_with("3305") {
        &[
            "浙江省湖州市德清县武康街道千秋街88号",
            "浙江省湖州市德清县舞阳街道塔山街901号",
            "浙江省湖州市德清县莫干山镇劳岭村12号",
            "浙江省湖州市德清县阜溪街道环城北路219号",
        ]
    } else {
        &[
            "湖北省武汉市洪山区珞喻路1037号",
            "湖北省武汉市武昌区中北路108号2栋1单元801室",
            "湖北省武汉市江岸区解放大道1866号",
            "湖北省武汉市东湖新技术开发区光谷大道77号金融港B18栋",
            "湖北省武汉市江汉区新华路218号",
            "湖北省武汉市江夏区纸坊街文化路33号",
        ]
    }
}

/// Contact persons of enterprises (经办人).
pub const CONTACTS: &[&str] = &["刘晓明", "陈佳", "王海燕", "李俊", "张雪梅", "周涛"];

/// Walk-in applicants received at a window without an account:
/// (first 17 digits of the ID number, name, mobile).
pub const WALK_INS: &[(&str, &str, &str)] = &[
    ("42010519780224031", "罗建军", "13886123456"),
    ("42010719850613047", "蔡小红", "15871234567"),
    ("42011119920918011", "邓超", "18672345678"),
    ("42011119600405022", "彭桂英", "13507123456"),
    ("33052119730716019", "潘国强", "15805723456"),
    ("33052119881102028", "金晓丽", "18857212345"),
];
