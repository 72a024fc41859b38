//! User-visible strings of once-only data sharing: Simplified Chinese
//! first, English second (kept apart from `i18n.rs` so the tables merge
//! cleanly; `Lang::t` looks in both).

/// `(key, 中文, English)`.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "sharing.evidence_type",
        "共享证据类型",
        "Shared evidence type",
    ),
    (
        "sharing.consent_required",
        "需申请人授权",
        "Applicant consent needed",
    ),
    (
        "sharing.evidence_title",
        "数据共享免提交",
        "Materials by data sharing (no upload)",
    ),
    (
        "sharing.evidence_intro",
        "以下材料可由政府部门间数据共享获取，无需您上传。请核对预览信息；标明需授权的，请选择是否同意共享。",
        "OneTrip can obtain these materials from government data sharing, so you need not upload them. Check the preview; where consent is needed, choose whether you agree.",
    ),
    ("sharing.outcomes", "处理结果", "Result"),
    (
        "sharing.none",
        "本件没有可通过数据共享获取的材料。",
        "No material of this case can be obtained by data sharing.",
    ),
    ("sharing.source", "数据来源", "Source"),
    ("sharing.provider", "数据提供方", "provider"),
    (
        "sharing.fulfilled",
        "已通过数据共享获取，免提交",
        "Obtained by data sharing: no upload needed",
    ),
    (
        "sharing.consent_question",
        "是否同意本次查询并使用您的数据",
        "Do you consent to this data being obtained and used",
    ),
    ("sharing.consent_yes", "同意共享", "I consent"),
    (
        "sharing.consent_no",
        "不同意，我自行上传",
        "No, I will upload it",
    ),
    ("sharing.consent_granted", "已同意", "consented"),
    ("sharing.consent_refused", "已拒绝", "refused"),
    ("sharing.consent_none", "尚未选择", "not chosen yet"),
    (
        "sharing.consent_revoked",
        "授权已撤回；相关材料请上传。",
        "Consent revoked; please upload the material.",
    ),
    (
        "sharing.use",
        "使用共享数据（免提交）",
        "Use shared data (no upload)",
    ),
    ("sharing.revoke", "撤回授权", "Revoke consent"),
    ("sharing.back_to_case", "返回办件", "Back to the case"),
    (
        "sharing.outcome_fulfilled",
        "已免提交",
        "fulfilled without upload",
    ),
    (
        "sharing.outcome_needs_consent",
        "需要您的授权",
        "needs your consent",
    ),
    (
        "sharing.tracker_title",
        "我的数据使用记录",
        "Who used my data",
    ),
    (
        "sharing.tracker_intro",
        "每一次因办件读取您的个人信息，都会记录读取人、时间、办件、用途和依据，并写入防篡改的审计链。",
        "Every read of your personal data for a case records who, when, for which case, why and on what legal basis, in the tamper-evident audit chain.",
    ),
    ("sharing.tracker_empty", "暂无记录。", "No reads recorded."),
    ("sharing.when", "时间", "When"),
    ("sharing.who", "读取人", "Who"),
    ("sharing.purpose", "用途", "Purpose"),
    ("sharing.legal_basis", "依据", "Legal basis"),
    ("sharing.data", "数据", "Data"),
    ("sharing.unmasked", "（未脱敏查看）", "(unmasked view)"),
    (
        "sharing.verify_title",
        "电子证照核验",
        "Verify an e-certificate",
    ),
    ("sharing.cert_no", "证照编号", "Certificate number"),
    ("sharing.verify", "核验", "Verify"),
    ("sharing.cert_name", "证照名称", "Certificate"),
    ("sharing.cert_holder", "持证人", "Holder"),
    ("sharing.cert_issuer", "发证机关", "Issuer"),
    ("sharing.cert_issued", "发证日期", "Issued"),
    ("sharing.cert_valid_until", "有效期至", "Valid until"),
    ("sharing.long_term", "长期", "No end date"),
    (
        "sharing.revoked_reason",
        "注销原因",
        "Reason for revocation",
    ),
    (
        "sharing.provenance_title",
        "共享材料来源",
        "Where shared materials came from",
    ),
    (
        "sharing.provenance_intro",
        "信息默认脱敏显示；具有“查看完整个人信息”权限的人员可说明理由后查看，查看行为将被记录并告知申请人。",
        "Values are masked; staff with the unmask permission may view them in full after giving a reason; each view is logged and shown to the applicant.",
    ),
    ("sharing.reference", "来源编号", "Reference"),
    ("sharing.consent", "授权", "Consent"),
    ("sharing.message", "报文记录", "Message log entry"),
    (
        "sharing.unmask_reason",
        "查看完整信息的理由",
        "Reason for the unmasked view",
    ),
    ("sharing.unmask", "查看完整信息", "Show full values"),
];
