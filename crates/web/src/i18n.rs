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
        let found = MESSAGES
            .iter()
            .chain(crate::i18n_hall::HALL_MESSAGES.iter())
            .chain(crate::i18n_sharing::MESSAGES)
            .find(|(k, _, _)| *k == key);
        match found {
            Some((_, zh, en)) => match self {
                Self::Zh => zh,
                Self::En => en,
            },
            None => "??",
        }
    }

    /// Picks one language of a bilingual text.
    pub fn pick(self, text: &Text) -> &str {
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
    ("item.trip_record", "跑动次数承诺兑现", "Trip promise kept"),
    (
        "item.trip_record_value",
        "已办结 {completed} 件，其中 {within} 件未超过承诺跑动次数（{rate}%）",
        "{completed} completed, {within} within the promised trips ({rate}%)",
    ),
    (
        "item.trip_record_none",
        "暂无办结件",
        "No completed cases yet",
    ),
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
    ("account.revoke_one", "结束此会话", "End this session"),
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
    ("admin.dashboard", "概览", "Overview"),
    ("admin.menu", "管理后台菜单", "Administration menu"),
    ("admin.welcome", "您好，", "Hello, "),
    (
        "admin.catalogue_hint",
        "编辑事项要素、保存草稿、发布或废止事项。",
        "Edit item elements, save drafts, publish or retire items.",
    ),
    (
        "admin.import_hint",
        "粘贴一份事项目录 JSON 文档导入；任何一处错误都会使整个文档不被导入。格式：",
        "Paste a catalogue JSON document to import it; any error imports nothing. Format:",
    ),
    (
        "admin.export_hint",
        "下载全部事项目录（JSON），导出操作会记入审计日志。",
        "Download the whole catalogue as JSON; the export is audited.",
    ),
    (
        "admin.staff_hint",
        "创建账号、授予角色、停用账号、结束会话。",
        "Create accounts, grant roles, disable accounts, end sessions.",
    ),
    (
        "admin.roles_hint",
        "查看和编辑角色及其权限。",
        "View and edit roles and their permissions.",
    ),
    (
        "admin.audit_hint",
        "查看最近的审计记录并校验审计链。",
        "Read recent audit entries and verify the chain.",
    ),
    ("admin.count_published", "项已发布事项", "published items"),
    ("admin.count_drafts", "份草稿", "open drafts"),
    ("admin.count_staff", "个工作人员账号", "staff accounts"),
    ("admin.item_new", "新建事项", "New item"),
    ("admin.item_edit", "编辑事项", "Edit item"),
    (
        "admin.catalogue_sections",
        "事项列表分区",
        "Catalogue sections",
    ),
    ("admin.drafts", "草稿", "Drafts"),
    ("admin.published", "已发布", "Published"),
    ("admin.none", "暂无。", "None."),
    ("admin.edit", "编辑", "Edit"),
    (
        "admin.back_catalogue",
        "返回事项目录管理",
        "Back to the catalogue",
    ),
    ("admin.back_staff", "返回工作人员列表", "Back to staff"),
    ("admin.versions", "版本历史", "Version history"),
    ("admin.published_at", "发布时间", "Published at"),
    ("admin.view_guide", "查看办事指南", "View guide"),
    (
        "admin.publish_draft",
        "发布草稿版本",
        "Publish draft version",
    ),
    (
        "admin.retire",
        "废止已发布版本",
        "Retire the published version",
    ),
    (
        "admin.publish_hint",
        "发布和废止属于政府固有核心职能，须具备“发布事项目录”权限，外包人员不得操作。",
        "Publishing and retiring are core government functions: they need the catalogue.publish permission and are never open to contractor staff.",
    ),
    ("admin.item_basic", "基本信息", "Basic information"),
    (
        "admin.item_where",
        "实施主体与依据",
        "Implementing body and legal basis",
    ),
    (
        "admin.item_handling",
        "办理时限与方式",
        "Time limits and handling",
    ),
    (
        "admin.item_contact",
        "咨询、投诉与办理地点",
        "Contact and place",
    ),
    (
        "admin.code_hint",
        "实施编码一经保存不可修改，如 420100-SCJGJ-XK-001。",
        "The code cannot change once saved, e.g. 420100-SCJGJ-XK-001.",
    ),
    (
        "admin.code_taken",
        "该实施编码已存在，请在事项列表中编辑该事项 / this code exists already; edit that item instead",
        "This code exists already; edit that item instead",
    ),
    ("admin.name_zh", "名称（中文）", "Name (Chinese)"),
    ("admin.name_en", "名称（英文）", "Name (English)"),
    (
        "admin.keywords_hint",
        "多个关键词用逗号或顿号（、）分隔。",
        "Separate keywords with commas or 、.",
    ),
    ("admin.one_per_line", "每行一条。", "One per line."),
    (
        "admin.promised_hint",
        "承诺时限不得超过法定时限。",
        "The promised limit may not exceed the statutory limit.",
    ),
    (
        "admin.result_name_zh",
        "结果名称（中文）",
        "Result name (Chinese)",
    ),
    (
        "admin.result_name_en",
        "结果名称（英文）",
        "Result name (English)",
    ),
    ("admin.result_kind", "结果类型", "Result kind"),
    (
        "admin.rows_hint",
        "空白行将被忽略；勾选“删除”可移除一行。非必要材料须填写适用情形。",
        "Empty rows are ignored; tick “remove” to drop a row. A conditional material needs its condition.",
    ),
    (
        "admin.situations_hint",
        "“所需材料”填写材料编码，用逗号分隔，如 M01, M02。",
        "Under “materials” list material codes separated by commas, e.g. M01, M02.",
    ),
    (
        "admin.fees_hint",
        "金额以元为单位，最多两位小数，如 120.00；不收费则留空。",
        "Amounts in yuan with at most two decimals, e.g. 120.00; leave empty when free.",
    ),
    ("admin.originals", "原件份数", "Originals"),
    ("admin.copies", "复印件份数", "Copies"),
    ("admin.condition", "适用情形", "Condition"),
    ("admin.notes", "填报须知", "Notes"),
    ("admin.remove_row", "删除", "Remove"),
    (
        "admin.situation_materials",
        "所需材料编码",
        "Material codes",
    ),
    ("admin.amount_yuan", "金额（元）", "Amount (yuan)"),
    ("admin.save_draft", "保存草稿", "Save draft"),
    ("admin.choose", "请选择", "Choose"),
    ("admin.bad_version", "版本号无效", "Invalid version number"),
    ("admin.import_document", "事项目录 JSON", "Catalogue JSON"),
    ("admin.import_submit", "导入", "Import"),
    (
        "admin.import_unreadable",
        "文档不是有效的事项目录 JSON，未导入任何内容。",
        "The document is not a readable catalogue JSON; nothing was imported.",
    ),
    (
        "admin.import_invalid",
        "文档有错误，未导入任何内容。",
        "The document has errors; nothing was imported.",
    ),
    ("admin.import_error_count", "处问题", "problems"),
    ("admin.display_name", "姓名", "Name"),
    ("admin.active", "正常", "Active"),
    ("admin.disabled", "已停用", "Disabled"),
    ("admin.core", "核心职能", "core"),
    ("admin.core_option", "【核心职能】", "[core]"),
    ("admin.staff_new", "新建工作人员账号", "New staff account"),
    ("admin.staff_create", "创建账号", "Create account"),
    (
        "admin.username_hint",
        "3至32位小写字母、数字、. _ -，以字母开头。",
        "3–32 characters a–z 0–9 . _ -, starting with a letter.",
    ),
    (
        "admin.contractor_note",
        "外包服务人员只能从事咨询、帮办、收件、预审等辅助工作，不得被授予政府固有核心职能。",
        "Contractor staff do front-desk work only (consultation, help, intake, pre-review) and can never hold core government functions.",
    ),
    ("admin.initial_password", "初始密码", "Initial password"),
    ("admin.created_at", "创建时间", "Created"),
    ("admin.enable", "启用账号", "Enable account"),
    ("admin.disable", "停用账号", "Disable account"),
    (
        "admin.disable_hint",
        "停用后该账号的所有会话立即失效。",
        "Disabling ends every session of the account at once.",
    ),
    ("admin.role", "角色", "Role"),
    ("admin.department", "部门", "Department"),
    ("admin.centre", "服务中心", "Service centre"),
    ("admin.granted_at", "授权时间", "Granted"),
    ("admin.revoke", "撤销授权", "Revoke"),
    ("admin.grant_title", "授予角色", "Grant a role"),
    ("admin.negative_list", "负面清单：", "Negative list: "),
    (
        "admin.contractor_grant_note",
        "该人员为外包服务人员，含核心职能（标注“核心职能”）的角色不能授予。",
        "This person is contractor staff: roles holding a core permission (marked “core”) cannot be granted.",
    ),
    (
        "admin.department_optional",
        "限定部门（可选）",
        "Limit to a department (optional)",
    ),
    (
        "admin.centre_optional",
        "限定服务中心（可选）",
        "Limit to a service centre (optional)",
    ),
    ("admin.any_department", "不限部门", "Any department"),
    ("admin.any_centre", "不限服务中心", "Any service centre"),
    ("admin.grant_submit", "授予", "Grant"),
    (
        "admin.role_required",
        "请选择角色 / choose a role",
        "Choose a role",
    ),
    (
        "admin.no_sessions",
        "当前没有有效会话。",
        "No live sessions.",
    ),
    ("admin.expires", "到期时间", "Expires"),
    (
        "admin.end_sessions",
        "结束该人员的全部会话",
        "End all of this person's sessions",
    ),
    ("admin.permissions", "权限", "Permissions"),
    (
        "admin.core_explained",
        "标注“核心职能”的权限属于政府固有核心职能（受理、审批、决定、签发、处罚、检查、强制、出证、发布事项目录），永远不能由外包服务人员行使。",
        "Permissions marked “core” exercise inherent government functions (accepting, approving, deciding, signing, penalising, inspecting, enforcing, certifying, publishing the catalogue) and can never be held by contractor staff.",
    ),
    ("admin.role_edit", "编辑角色", "Edit role"),
    ("admin.role_new", "新建角色", "New role"),
    ("admin.role_code", "角色编码", "Role code"),
    (
        "admin.role_code_hint",
        "3至32位小写字母、数字、. _ -。",
        "3–32 characters a–z 0–9 . _ -.",
    ),
    ("admin.role_create", "创建角色", "Create role"),
    (
        "admin.role_taken",
        "该角色编码已存在 / this role code exists already",
        "This role code exists already",
    ),
    ("admin.audit_verify", "审计链校验", "Chain verification"),
    (
        "admin.audit_intact",
        "审计链完整。",
        "The audit chain is intact.",
    ),
    (
        "admin.audit_broken",
        "审计链校验失败！",
        "The audit chain failed verification!",
    ),
    ("admin.audit_entries", "条记录", "entries"),
    (
        "admin.audit_checkpoints",
        "个签名检查点",
        "signed checkpoints",
    ),
    (
        "admin.audit_recent",
        "最近 100 条记录",
        "The latest 100 entries",
    ),
    ("admin.audit_seq", "序号", "Seq"),
    ("admin.audit_time", "时间", "Time"),
    ("admin.audit_actor", "操作人", "Actor"),
    ("admin.audit_action", "操作", "Action"),
    ("admin.audit_subject", "对象", "Subject"),
    ("admin.audit_detail", "详情", "Detail"),
    ("admin.notice.saved", "草稿已保存。", "The draft was saved."),
    (
        "admin.notice.published",
        "已发布，公众办事指南已更新。",
        "Published; the public guide now shows this version.",
    ),
    (
        "admin.notice.retired",
        "已发布版本已废止。",
        "The published version was retired.",
    ),
    (
        "admin.notice.imported",
        "事项目录已导入。",
        "The catalogue was imported.",
    ),
    (
        "admin.notice.created",
        "账号已创建。",
        "The account was created.",
    ),
    (
        "admin.notice.granted",
        "角色已授予。",
        "The role was granted.",
    ),
    (
        "admin.notice.revoked",
        "授权已撤销。",
        "The grant was revoked.",
    ),
    (
        "admin.notice.disabled",
        "账号已停用，其会话已全部结束。",
        "The account was disabled and its sessions ended.",
    ),
    (
        "admin.notice.enabled",
        "账号已启用。",
        "The account was enabled.",
    ),
    (
        "admin.notice.sessions",
        "该人员的全部会话已结束。",
        "All of this person's sessions were ended.",
    ),
    (
        "admin.notice.role_saved",
        "角色已保存。",
        "The role was saved.",
    ),
    // ---- case pages ----
    ("nav.my_cases", "我的办件", "My cases"),
    ("nav.workbench", "工作台", "Workbench"),
    ("nav.bundles", "一件事", "Bundles"),
    ("item.apply_online", "在线办理", "Apply online"),
    ("action.pass_pre_review", "预审通过", "Pass pre-review"),
    (
        "action.request_correction",
        "出具一次性告知书",
        "Issue a one-time correction notice",
    ),
    ("action.accept", "受理", "Accept"),
    ("action.refuse", "不予受理", "Refuse"),
    ("action.claim", "认领", "Claim"),
    ("action.assign", "分派", "Assign"),
    ("action.return", "退回部门队列", "Return to the queue"),
    ("action.comment", "填写意见", "Comment"),
    ("action.extend", "批准延期", "Approve an extension"),
    ("action.approve", "准予", "Approve"),
    ("action.deny", "不予准予", "Deny"),
    (
        "action.start_special_procedure",
        "启动特别程序",
        "Start a special procedure",
    ),
    (
        "action.end_special_procedure",
        "结束特别程序",
        "End the special procedure",
    ),
    ("action.suspend", "挂起", "Suspend"),
    ("action.resume", "恢复办理", "Resume"),
    (
        "action.issue_result",
        "签发结果",
        "Sign and issue the result",
    ),
    ("action.dispatch", "送达", "Dispatch"),
    ("action.confirm_delivery", "确认签收", "Confirm delivery"),
    ("action.withdraw", "撤回申请", "Withdraw the application"),
    ("action.record_trip", "登记来访", "Record a visit"),
    ("admin.calendar", "工作日历", "Working-day calendar"),
    (
        "admin.notice.calendar_imported",
        "节假日通知已导入，在办件的期限已重新计算。",
        "The holiday notice was imported and open cases' due dates were recomputed.",
    ),
    ("apply.title", "在线申请", "Apply online"),
    ("apply.guide", "查看办事指南", "Read the service guide"),
    (
        "apply.step.situation",
        "选择办理情形",
        "Choose your situation",
    ),
    ("apply.situation", "办理情形", "Situation"),
    (
        "apply.show_materials",
        "查看所需材料",
        "Show the materials needed",
    ),
    (
        "apply.bundle_items",
        "本“一件事”包含的事项",
        "Items in this bundle",
    ),
    ("apply.step.materials", "材料清单", "Material checklist"),
    (
        "apply.materials_hint",
        "提交申请后，可在办件页面逐项上传材料或在线填写表格，再提交审核。",
        "After creating the application you upload each material or fill in the forms on the case page, then submit it.",
    ),
    (
        "apply.step.form",
        "填写申请表",
        "Fill in the application form",
    ),
    (
        "apply.delivery",
        "结果送达方式",
        "How the result reaches you",
    ),
    (
        "apply.delivery_hint",
        "只列出本事项提供的送达方式。",
        "Only the methods this item offers are listed.",
    ),
    ("apply.courier", "快递收件信息", "Courier address"),
    (
        "apply.courier_hint",
        "选择快递送达时必填。",
        "Required for courier delivery.",
    ),
    ("apply.courier.recipient", "收件人", "Recipient"),
    ("apply.courier.phone", "收件人手机", "Recipient's mobile"),
    ("apply.courier.address", "收件地址", "Delivery address"),
    (
        "apply.create",
        "创建申请（草稿）",
        "Create the application (draft)",
    ),
    (
        "bundles.title",
        "一件事",
        "Bundles (one application for several items)",
    ),
    (
        "bundles.lead",
        "多个部门的事项一次申请、一套材料、一次送达。",
        "Items of several departments with one application, one set of materials and one delivery.",
    ),
    ("bundles.promised", "承诺办结时限", "Promised time limit"),
    ("bundles.unavailable", "暂停办理", "Not available"),
    (
        "calendar.provisional_years",
        "以下年份尚无国务院节假日通知，相关期限为暂定",
        "These years have no State Council holiday notice; due dates in them are provisional",
    ),
    ("calendar.provisional", "暂定", "provisional"),
    (
        "calendar.provisional_hint",
        "暂定年份只按周末计算工作日；导入该年通知后，在办件的期限将自动重新计算。",
        "Provisional years count weekends only; importing the year's notice recomputes open cases' due dates.",
    ),
    (
        "calendar.stored",
        "已导入的节假日通知",
        "Stored holiday notices",
    ),
    ("calendar.year", "年份", "Year"),
    ("calendar.source", "文号", "Document number"),
    ("calendar.holidays", "放假安排", "Public holidays"),
    ("calendar.makeup", "调休上班日", "Make-up workdays"),
    ("calendar.imported", "导入时间", "Imported"),
    (
        "calendar.import",
        "导入年度节假日通知",
        "Import a year's holiday notice",
    ),
    ("calendar.document", "通知内容（JSON）", "Notice (JSON)"),
    (
        "calendar.format_hint",
        "格式如下：日期为 YYYY-MM-DD，不允许未知字段；任何错误都会全部列出且不导入。",
        "Format below: dates as YYYY-MM-DD, no unknown fields; every error is listed and nothing is imported.",
    ),
    ("calendar.import_submit", "导入", "Import"),
    ("case.number", "办件编号", "Case number"),
    ("case.title", "申请事项", "Application"),
    ("case.expected", "预计办结日期", "Expected completion"),
    ("case.provisional", "（暂定）", " (provisional)"),
    ("case.statutory_due", "法定期限", "Statutory due date"),
    ("case.accept_due", "受理期限", "Acceptance due date"),
    (
        "case.department_now",
        "当前办理部门",
        "Department handling it now",
    ),
    ("case.channel", "申请渠道", "Channel"),
    ("case.delivery", "送达方式", "Delivery"),
    ("case.parts", "办理环节", "Parts of the case"),
    ("case.part", "环节", "Part"),
    ("case.item", "事项", "Item"),
    ("case.department", "部门", "Department"),
    ("case.promised_due", "承诺期限", "Promised due date"),
    ("case.decision", "决定", "Decision"),
    ("case.extension", "延期", "Extension"),
    ("case.assignee", "承办人", "Assigned to"),
    ("case.form", "申请表", "Application form"),
    ("case.materials", "申请材料", "Materials"),
    ("case.current_version", "当前版本", "Current version"),
    ("case.earlier_versions", "历史版本", "Earlier versions"),
    ("case.revision", "版本", "Version"),
    ("case.not_provided", "尚未提供", "Not provided yet"),
    ("case.required", "必要", "Required"),
    ("case.optional", "非必要", "Optional"),
    ("case.fillable", "在线填写", "Fill in online"),
    (
        "case.produced_by",
        "由本件其他事项产生：",
        "Produced inside this case by",
    ),
    ("case.flagged", "需补正", "Needs correction"),
    ("case.upload", "上传材料", "Upload material"),
    (
        "case.upload_hint",
        "仅支持 PDF、OFD、PNG、JPEG，单个文件不超过10MB。",
        "PDF, OFD, PNG or JPEG only, at most 10 MB per file.",
    ),
    ("case.upload_submit", "上传", "Upload"),
    (
        "case.upload.too_large",
        "文件超过10MB，未保存",
        "The file is larger than 10 MB and was not stored",
    ),
    (
        "case.upload.choose_file",
        "请选择要上传的文件",
        "Choose a file to upload",
    ),
    ("case.fill", "在线填写", "Fill in"),
    ("case.fill_submit", "保存填写内容", "Save"),
    (
        "case.check_paper",
        "已核验纸质原件",
        "Paper original checked",
    ),
    ("case.submit", "提交申请", "Submit the application"),
    (
        "case.submit_hint",
        "提交前请确认申请表和必要材料齐全；提交后等待窗口预审。",
        "Check the form and required materials first; after submitting, the front desk pre-reviews it.",
    ),
    ("case.resubmit", "提交补正", "Submit corrections"),
    (
        "case.resubmit_hint",
        "按一次性告知书补正：只能修改被标注的字段和材料，其余内容保持不变。",
        "Correct as the one-time notice says: only the flagged fields and materials can change.",
    ),
    ("case.withdraw", "撤回申请", "Withdraw the application"),
    ("case.withdraw_reason", "撤回原因", "Reason for withdrawing"),
    ("case.timeline", "办理过程", "Timeline"),
    ("case.documents", "文书", "Documents"),
    ("case.certificates", "证照", "Certificates"),
    ("case.valid_until", "有效期至", "valid until"),
    ("case.trips", "到现场次数记录", "Visits to the hall"),
    ("case.messages", "站内消息", "Messages"),
    (
        "case.correction_open",
        "一次性告知书：请一次补齐以下内容",
        "One-time correction notice: correct all of the following at once",
    ),
    (
        "case.view_notice",
        "查看并打印告知书",
        "View and print the notice",
    ),
    ("case.back_to_list", "返回我的办件", "Back to my cases"),
    (
        "case.applicant_only",
        "此页面仅供申请人使用；工作人员请使用工作台",
        "This page is for applicants; staff use the workbench",
    ),
    ("case.actor.applicant", "申请人", "Applicant"),
    ("case.actor.staff", "工作人员", "Staff"),
    ("case.actor.system", "系统", "System"),
    (
        "case.done.created",
        "申请已创建，请上传材料后提交。",
        "The application was created; upload the materials, then submit it.",
    ),
    (
        "case.done.uploaded",
        "材料已上传。",
        "The material was uploaded.",
    ),
    (
        "case.done.filled",
        "填写内容已保存。",
        "The form was saved.",
    ),
    (
        "case.done.submitted",
        "申请已提交，等待预审。",
        "The application was submitted for pre-review.",
    ),
    (
        "case.done.resubmitted",
        "补正材料已提交。",
        "The corrections were submitted.",
    ),
    (
        "case.done.withdrawn",
        "申请已撤回。",
        "The application was withdrawn.",
    ),
    ("cases.none", "您还没有办件。", "You have no cases yet."),
    ("field.carrier", "快递公司", "Carrier"),
    ("field.comment", "意见", "Comment"),
    ("field.days", "延长工作日（1至10）", "Working days (1–10)"),
    (
        "field.delivery_note",
        "签收人、备注",
        "Received by, remarks",
    ),
    (
        "field.extension_reason",
        "延期理由（将告知申请人）",
        "Reason (told to the applicant)",
    ),
    ("field.note", "说明", "Note"),
    ("field.opinion", "审批意见", "Opinion"),
    ("field.pause_kind", "程序类型", "Kind of procedure"),
    ("field.purpose", "来访事由", "Purpose of the visit"),
    ("field.reason", "原因", "Reason"),
    ("field.reasons", "理由", "Reasons"),
    (
        "field.redirect",
        "应向何机关申请（选填）",
        "Authority to apply to instead (optional)",
    ),
    ("field.to_staff", "承办人员编号", "Staff id of the reviewer"),
    ("field.tracking_no", "运单号", "Tracking number"),
    (
        "field.valid_until",
        "证照有效期至（选填）",
        "Certificate valid until (optional)",
    ),
    ("notice.number", "文书编号", "Notice number"),
    ("notice.back", "返回办件", "Back to the case"),
    (
        "notice.print_hint",
        "使用浏览器打印（A4）",
        "Print with your browser (A4)",
    ),
    (
        "notice.qr_caption",
        "扫码查询办理进度",
        "Scan to follow the case",
    ),
    (
        "notice.acceptance.body",
        "您提交的申请材料齐全、符合法定形式，本机关决定予以受理，并将在下列期限内作出决定。",
        "Your application is complete and in the legal form; it is accepted and will be decided within the limits below.",
    ),
    (
        "notice.acceptance.deemed",
        "本机关未在法定期限内告知补正，依法自收到申请材料之日起视为受理。",
        "No correction was requested within the legal limit, so the application counts as accepted from receipt.",
    ),
    (
        "notice.correction.body",
        "您提交的申请材料不齐全或不符合法定形式，请一次性补正下列全部内容后重新提交。",
        "Your application is incomplete or not in the legal form; correct everything below at once and submit again.",
    ),
    (
        "notice.refusal.body",
        "经审查，您的申请不属于本机关受理范围或不符合受理条件，本机关决定不予受理。",
        "Your application is outside our competence or does not meet the conditions; it is not accepted.",
    ),
    ("notice.refusal.reasons", "不予受理的理由", "Reasons"),
    (
        "notice.refusal.redirect",
        "请向以下机关申请",
        "Apply instead to",
    ),
    (
        "notice.refusal.remedy",
        "如不服本决定，可依法申请行政复议或者提起行政诉讼。",
        "You may apply for administrative reconsideration or bring an administrative lawsuit against this decision.",
    ),
    (
        "notice.result.body",
        "您申请的事项已办理完毕，办理结果如下。",
        "Your application has been decided; the results are below.",
    ),
    ("notice.col.item", "事项", "Item"),
    ("notice.col.department", "实施机关", "Department"),
    ("notice.col.statutory", "法定期限", "Statutory limit"),
    ("notice.col.promised", "承诺期限", "Promised limit"),
    ("notice.col.target", "材料或字段", "Material or field"),
    ("notice.col.problem", "问题", "Problem"),
    ("notice.col.note", "需补正内容", "What to correct"),
    ("notice.col.decision", "决定", "Decision"),
    ("notice.col.certificate", "证照编号", "Certificate number"),
    ("outbox.channel", "渠道", "Channel"),
    ("outbox.recipient", "接收方", "Recipient"),
    ("outbox.subject", "主题", "Subject"),
    ("outbox.attempts", "尝试次数", "Attempts"),
    ("outbox.created", "生成时间", "Created"),
    ("outbox.sent", "已发送", "Sent"),
    ("outbox.failed", "发送失败", "Failed"),
    ("outbox.pending", "待发送", "Pending"),
    ("receive.title", "窗口收件", "Window intake"),
    (
        "receive.lead",
        "代申请人收件：收件后立即进入预审，本次来访计为一次跑动。",
        "File on the applicant's behalf: the case goes straight to pre-review and this visit counts as one trip.",
    ),
    ("receive.applicant", "申请人", "Applicant"),
    (
        "receive.walk_in_hint",
        "已注册的申请人只需证件号码；未注册的请同时填写姓名和手机号码。",
        "A registered applicant needs only the identifier; for others also enter the name and mobile.",
    ),
    (
        "receive.identifier",
        "身份证号码或统一社会信用代码",
        "ID number or unified social credit code",
    ),
    (
        "receive.name",
        "姓名或单位名称（未注册时）",
        "Name (unregistered applicants)",
    ),
    (
        "receive.mobile",
        "手机号码（未注册时）",
        "Mobile (unregistered applicants)",
    ),
    ("receive.target", "申请事项", "What is applied for"),
    (
        "receive.target_hint",
        "填写事项编码和情形编码，或只填写一件事编码。",
        "Enter an item code and situation code, or only a bundle code.",
    ),
    ("receive.item_code", "事项编码", "Item code"),
    ("receive.situation", "情形编码", "Situation code"),
    ("receive.bundle_code", "一件事编码", "Bundle code"),
    ("receive.submit", "收件", "Receive"),
    (
        "receive.err.target",
        "请填写事项编码或一件事编码",
        "Enter an item or bundle code",
    ),
    (
        "receive.err.delivery",
        "请选择送达方式",
        "Choose a delivery method",
    ),
    ("receive.err.unknown", "未找到", "Not found"),
    ("status.title", "办件进度查询", "Case status"),
    (
        "status.privacy",
        "本页面不显示任何个人信息。",
        "This page shows no personal information.",
    ),
    ("warning.normal", "正常", "On time"),
    ("warning.yellow", "黄色预警", "Yellow: due soon"),
    ("warning.red", "红色超期", "Red: overdue"),
    ("workbench.tabs", "工作台分类", "Workbench sections"),
    ("workbench.tab.mine", "我的任务", "My tasks"),
    ("workbench.tab.inbox", "部门待办", "Department inbox"),
    ("workbench.tab.intake", "前台队列", "Front-desk queue"),
    ("workbench.warning", "预警", "Warning"),
    ("workbench.any_warning", "全部", "All"),
    ("workbench.due_by", "到期日不晚于", "Due on or before"),
    ("workbench.due", "期限", "Due"),
    ("workbench.filter", "筛选", "Filter"),
    (
        "workbench.empty",
        "没有符合条件的办件。",
        "Nothing matches.",
    ),
    (
        "workbench.bad_date",
        "日期格式应为 YYYY-MM-DD",
        "Use the format YYYY-MM-DD",
    ),
    ("workbench.back", "返回工作台", "Back to the workbench"),
    ("workbench.actions", "可执行的操作", "Actions you can take"),
    (
        "workbench.no_actions",
        "当前状态下您没有可执行的操作。",
        "You have no action to take in this state.",
    ),
    ("workbench.mine", "我的", "Mine"),
    ("workbench.done", "操作已完成。", "Done."),
    ("workbench.outbox", "通知发送情况", "Notification delivery"),
    (
        "workbench.correction_legend",
        "勾选需补正的材料和字段",
        "Tick every material and field to correct",
    ),
    (
        "workbench.correction_hint",
        "一次性告知：把所有问题列在同一份告知书中，每项写明需补正的具体内容。",
        "Tell everything once: list every problem in one notice, each with exactly what to fix.",
    ),
    ("workbench.flag", "补正项", "Item"),
    (
        "workbench.issue_correction",
        "出具一次性告知书",
        "Issue the notice",
    ),
    ("workbench.allowed_now", "当前可执行", "allowed now"),
    ("workbench.none", "无", "none"),
    ("workbench.err.part", "请指明环节", "Name the part"),
    (
        "workbench.err.staff_id",
        "请填写承办人员编号",
        "Enter the reviewer's staff id",
    ),
    (
        "workbench.err.days",
        "请填写延长的工作日数",
        "Enter the number of working days",
    ),
    (
        "workbench.err.kind",
        "请选择程序类型",
        "Choose the kind of procedure",
    ),
    (
        "workbench.err.problem",
        "请选择问题类型",
        "Choose the problem",
    ),
    (
        "workbench.err.not_staff_action",
        "该操作不能由工作人员执行",
        "Staff cannot take this action",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_unique_keys() {
        let mut keys = std::collections::HashSet::new();
        for (k, zh, en) in MESSAGES.iter().chain(crate::i18n_sharing::MESSAGES) {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} lacks a language");
        }
    }
}
