//! `onetrip calendar …`: importing the State Council's yearly holiday
//! notice and showing a year's holidays and make-up workdays.
//!
//! Rules: a notice is checked as a whole before anything is stored, and
//! every bad field is reported (the command then exits non-zero); importing
//! recomputes the due dates of every open case in the same transaction. A
//! year without an imported notice is computed on weekends only and shown
//! as PROVISIONAL.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use onetrip_app::App;
use onetrip_domain::calendar::{DayKind, parse_notice};
use time::{Date, Month};

/// `onetrip calendar …`
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Import a year's holiday notice (JSON: year, source, holidays, makeup_workdays).
    Import {
        /// The notice file.
        file: PathBuf,
    },
    /// Show the holidays and make-up workdays of a year.
    Show {
        /// The year.
        year: i32,
    },
}

/// Runs a calendar command.
pub async fn run(app: &App, command: CalendarCommand) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let notice = match parse_notice(&text) {
                Ok(n) => n,
                Err(errors) => {
                    eprintln!(
                        "{} is not a valid holiday notice:\n{errors}",
                        file.display()
                    );
                    return Ok(ExitCode::FAILURE);
                }
            };
            let done = app
                .import_calendar_notice_as("cli", &notice)
                .await
                .map_err(crate::commands::app_err)?;
            println!(
                "imported the {} holiday notice ({}){}; {} open cases recomputed",
                done.year,
                notice.source,
                if done.replaced {
                    ", replacing the earlier one"
                } else {
                    ""
                },
                done.cases_recomputed
            );
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Show { year } => {
            let calendar = app.calendar().await.map_err(crate::commands::app_err)?;
            let first = Date::from_calendar_date(year, Month::January, 1)
                .map_err(|e| anyhow!("year {year}: {e}"))?;
            if calendar.has_notice(year) {
                println!("{year}: holiday notice imported");
            } else {
                println!(
                    "{year}: PROVISIONAL — no holiday notice imported; working days are computed on weekends only"
                );
            }
            let mut day = Some(first);
            while let Some(d) = day.filter(|d| d.year() == year) {
                match calendar.day_kind(d).value {
                    DayKind::Holiday => {
                        let name = calendar
                            .holiday_name(d)
                            .map(|n| format!("{} / {}", n.zh, n.en))
                            .unwrap_or_default();
                        println!(
                            "  {d}  {:<3}  holiday         {name}",
                            d.weekday().to_string().get(..3).unwrap_or("")
                        );
                    }
                    DayKind::MakeupWorkday => {
                        println!(
                            "  {d}  {:<3}  makeup workday  调休上班",
                            d.weekday().to_string().get(..3).unwrap_or("")
                        );
                    }
                    DayKind::Workday | DayKind::Weekend => {}
                }
                day = d.next_day();
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
