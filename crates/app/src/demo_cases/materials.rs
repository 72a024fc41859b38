//! Providing a demo case's materials the way applicants and helpers do:
//! scans of the applicant's own documents uploaded (a PDF, or a PNG for
//! photos and identity cards), tables issued at the window filled in on
//! the page, and shared-data and e-certificate materials recorded with the
//! result of the lookup.

use onetrip_domain::case::ChecklistEntry;
use onetrip_domain::catalogue::MaterialSource;

use super::{Filing, Stage};
use crate::App;
use crate::auth::Principal;
use crate::error::AppResult;

/// A file name for the scan of a material: its name without book-title
/// marks, with the extension of the kind of file.
fn file_name(entry: &ChecklistEntry, png: bool) -> String {
    let base: String = entry
        .name
        .zh
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | '“' | '”' | '/' | '\\'))
        .take(60)
        .collect();
    format!("{base}.{}", if png { "png" } else { "pdf" })
}

impl App {
    /// Provides one material of the checklist as `who`.
    pub(super) async fn provide_demo_material(
        &self,
        stage: &Stage,
        who: &Principal,
        case_id: i64,
        filing: &Filing,
        entry: &ChecklistEntry,
    ) -> AppResult<()> {
        let name = &entry.name.zh;
        match entry.source {
            MaterialSource::IssuedAtWindow => {
                let text = format!(
                    "{name}\n申请人：{}\n联系人：{}（{}）\n联系地址：{}\n申请事项：{}{}\n\
                     本表由帮办人员协助在线填写，申请人已核对无误并签字确认。",
                    filing.applicant_name(),
                    filing.request.form.contact_name,
                    filing.request.form.contact_phone,
                    filing.request.form.contact_address,
                    filing.resolved.title.zh,
                    if filing.situation_name.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", filing.situation_name)
                    },
                );
                self.fill_material(who, case_id, &entry.key, &text).await?;
            }
            MaterialSource::SharedData => {
                let text = format!(
                    "经政务数据共享平台核验：{name}信息一致，核验时间{}。申请人无需另行提交。",
                    self.today()
                );
                self.fill_material(who, case_id, &entry.key, &text).await?;
            }
            MaterialSource::ECertificate => {
                let text = format!(
                    "已从电子证照库调取{name}，证照状态有效，经申请人授权使用（{}）。",
                    self.today()
                );
                self.fill_material(who, case_id, &entry.key, &text).await?;
            }
            MaterialSource::Applicant => {
                let png = ["照片", "相片", "身份证"].iter().any(|w| name.contains(w));
                let bytes = if png {
                    stage.png.clone()
                } else {
                    stage.pdf.clone()
                };
                self.upload_material(who, case_id, &entry.key, &file_name(entry, png), bytes)
                    .await?;
            }
        }
        Ok(())
    }
}
