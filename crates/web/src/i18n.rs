//! User-visible strings: Simplified Chinese first, English second.
//!
//! Every string a page shows comes from [`MESSAGES`] by key, so adding a
//! language means adding a column. Data that is itself bilingual (item
//! names, departments) carries both languages and is chosen with
//! [`Lang::pick`].

use onetrip_domain::text::Text;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Parses `zh` or `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh" | "zh-CN" | "zh-Hans" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The code used in cookies and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
        }
    }

    /// The HTML `lang` attribute value.
    pub fn html_lang(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The other language (for the switch link).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    /// Looks a message up; an unknown key shows the key itself so that it is noticed.
    pub fn t(self, key: &str) -> &'static str {
        match MESSAGES.iter().find(|(k, _, _)| *k == key) {
            Some((_, zh, en)) => match self {
                Self::Zh => zh,
                Self::En => en,
            },
            None => "??",
        }
    }

    /// Picks one language of a bilingual text.
    pub fn pick<'a>(self, text: &'a Text) -> &'a str {
        text.get(self.code())
    }

    /// Picks between a Chinese and an English string.
    pub fn choose<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        if self == Self::En && !en.is_empty() {
            en
        } else {
            zh
        }
    }
}

/// `(key, 中文, English)`.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "site.name",
        "一趟办 OneTrip 政务服务平台",
        "OneTrip Government Services",
    ),
    (
        "site.tagline",
        "最多跑一次：一窗受理、一网通办、数据多跑路、群众少跑腿",
        "At most one trip: one window, one network, data travels instead of people",
    ),
    ("nav.skip", "跳到主要内容", "Skip to main content"),
    ("nav.home", "首页", "Home"),
    ("nav.catalogue", "办事指南", "Service guide"),
    ("nav.search", "搜索", "Search"),
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.register", "注册", "Register"),
    ("nav.account", "我的账号", "My account"),
    ("nav.admin", "管理后台", "Administration"),
    ("nav.language", "English", "中文"),
    ("nav.main", "主导航", "Main navigation"),
    (
        "home.modules",
        "按审批模块浏览",
        "Browse by approval module",
    ),
    ("home.life_events", "按主题浏览", "Browse by life event"),
    ("home.departments", "按部门浏览", "Browse by department"),
    ("home.search_label", "搜索办事事项", "Search for a service"),
    (
        "home.search_hint",
        "可输入事项名称、关键词、材料名称或拼音首字母，例如：营业执照、社保、yyzz",
        "Enter a name, keyword, material or pinyin initials, e.g. 营业执照, 社保, yyzz",
    ),
    (
        "home.items_count",
        "项已发布事项",
        "published service items",
    ),
    ("home.centres", "政务服务中心", "Service centres"),
    ("search.title", "搜索结果", "Search results"),
    ("search.button", "搜索", "Search"),
    (
        "search.none",
        "没有找到相关事项，请换一个词试试。",
        "No service matched; try another word.",
    ),
    ("search.count", "条结果", "results"),
    ("search.all_modules", "全部模块", "All modules"),
    ("catalogue.title", "办事指南目录", "Service catalogue"),
    ("catalogue.filter", "筛选", "Filter"),
    ("catalogue.module", "审批模块", "Approval module"),
    ("catalogue.department", "实施机关", "Implementing body"),
    ("catalogue.life_event", "主题", "Life event"),
    ("catalogue.region", "行政区划", "Region"),
    ("catalogue.all", "全部", "All"),
    ("catalogue.apply_filter", "应用筛选", "Apply filter"),
    ("catalogue.none", "没有符合条件的事项。", "No items match."),
    ("catalogue.count", "项事项", "items"),
    ("item.code", "实施编码", "Implementation code"),
    ("item.power_category", "权力类型", "Power category"),
    (
        "item.competent_department",
        "主管部门",
        "Competent department",
    ),
    ("item.implementing_body", "实施主体", "Implementing body"),
    ("item.level", "行使层级", "Level"),
    ("item.region", "行政区划", "Region"),
    ("item.module", "审批模块", "Approval module"),
    ("item.audience", "服务对象", "Who may apply"),
    ("item.legal_basis", "设定依据", "Legal basis"),
    ("item.conditions", "受理条件", "Conditions"),
    ("item.situations", "办理情形", "Situations"),
    ("item.materials", "申请材料", "Required materials"),
    ("item.material_name", "材料名称", "Material"),
    ("item.material_form", "材料形式", "Form"),
    ("item.material_count", "原件/复印件", "Originals / copies"),
    ("item.material_required", "是否必要", "Required"),
    ("item.material_source", "来源", "Source"),
    ("item.blank_form", "空白表格", "Blank form"),
    ("item.sample", "示例样表", "Sample"),
    ("item.required_yes", "必要", "Required"),
    ("item.required_conditional", "容缺/情形适用", "Conditional"),
    ("item.fees", "收费标准", "Fees"),
    ("item.free", "不收费", "Free of charge"),
    ("item.fee_basis", "收费依据", "Basis"),
    ("item.yuan", "元", "yuan"),
    ("item.limits", "办理时限", "Time limits"),
    ("item.statutory_limit", "法定办结时限", "Statutory limit"),
    ("item.promised_limit", "承诺办结时限", "Promised limit"),
    ("item.working_days", "个工作日", "working days"),
    ("item.immediate", "即办", "Immediate"),
    (
        "item.special_procedures",
        "特别程序（不计入时限）",
        "Special procedures (excluded from the limit)",
    ),
    ("item.none", "无", "None"),
    ("item.trips", "到现场次数", "On-site trips"),
    ("item.trips_zero", "0 次（全程网办）", "0 (fully online)"),
    ("item.trips_one", "最多跑一次", "At most one trip"),
    ("item.trips_more", "2 次及以上", "Two or more"),
    ("item.online_depth", "网上办理深度", "Online service depth"),
    ("item.delivery", "送达方式", "Delivery"),
    ("item.result", "审批结果", "Result issued"),
    ("item.consultation", "咨询电话", "Enquiries"),
    ("item.complaint", "监督投诉电话", "Complaints"),
    ("item.place", "办理地点", "Where"),
    ("item.hours", "办理时间", "Opening hours"),
    ("item.version", "版本", "Version"),
    ("item.effective_from", "生效日期", "Effective from"),
    ("item.print", "打印办事指南", "Print this guide"),
    ("item.keywords", "关键词", "Keywords"),
    ("item.back", "返回目录", "Back to the catalogue"),
    ("item.status", "状态", "Status"),
    ("login.title", "登录", "Sign in"),
    ("login.staff", "工作人员登录", "Staff sign-in"),
    ("login.applicant", "申请人登录", "Applicant sign-in"),
    ("login.kind", "登录身份", "Sign in as"),
    ("login.username", "用户名", "User name"),
    (
        "login.identifier",
        "身份证号码或统一社会信用代码",
        "ID number or unified social credit code",
    ),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.no_account", "还没有账号？", "No account yet?"),
    ("register.title", "申请人注册", "Applicant registration"),
    ("register.kind", "申请人类型", "Applicant type"),
    (
        "register.natural_person",
        "自然人（个人）",
        "Natural person",
    ),
    (
        "register.legal_entity",
        "法人（企业、组织）",
        "Legal entity",
    ),
    (
        "register.identifier",
        "身份证号码 / 统一社会信用代码",
        "ID number / unified social credit code",
    ),
    (
        "register.identifier_hint",
        "个人填写18位居民身份证号码，企业填写18位统一社会信用代码。",
        "Persons enter their 18-digit ID number, entities their 18-character credit code.",
    ),
    ("register.name", "姓名 / 单位名称", "Name"),
    ("register.mobile", "手机号码", "Mobile number"),
    ("register.email", "电子邮箱（选填）", "E-mail (optional)"),
    (
        "register.password",
        "密码（至少10位，含字母和数字）",
        "Password (at least 10 characters with letters and digits)",
    ),
    ("register.submit", "注册", "Register"),
    (
        "register.done",
        "注册成功，请登录。",
        "Registered. Please sign in.",
    ),
    ("error.summary", "请修改以下问题：", "There is a problem:"),
    ("error.title", "出错了", "Something went wrong"),
    ("error.operation", "操作编号", "Operation id"),
    ("error.back_home", "返回首页", "Back to home"),
    ("account.title", "我的账号", "My account"),
    ("account.sessions", "当前登录会话", "Active sessions"),
    ("account.revoke_all", "退出所有设备", "Sign out everywhere"),
    ("account.created", "登录时间", "Signed in"),
    ("account.ip", "地址", "Address"),
    ("account.agent", "浏览器", "Browser"),
    ("account.identity", "证件号码", "Identifier"),
    ("account.mobile", "手机", "Mobile"),
    ("account.employment", "用工类型", "Employment"),
    ("account.grants", "角色与授权范围", "Roles and scopes"),
    ("admin.title", "管理后台", "Administration"),
    ("admin.catalogue", "事项目录管理", "Catalogue"),
    ("admin.staff", "工作人员", "Staff"),
    ("admin.roles", "角色与权限", "Roles and permissions"),
    ("admin.audit", "审计日志", "Audit log"),
    (
        "admin.import",
        "导入事项目录（JSON）",
        "Import catalogue (JSON)",
    ),
    ("admin.export", "导出事项目录", "Export catalogue"),
    ("common.save", "保存", "Save"),
    ("common.yes", "是", "Yes"),
    ("common.no", "否", "No"),
    ("common.actions", "操作", "Actions"),
    ("common.name", "名称", "Name"),
    ("common.code", "编码", "Code"),
    ("common.status", "状态", "Status"),
    ("common.view", "查看", "View"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_unique_keys() {
        let mut keys = std::collections::HashSet::new();
        for (k, zh, en) in MESSAGES {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} lacks a language");
        }
    }
}
