//! Server-rendered HTML pages, one file per page.

pub mod account;
pub mod admin;
pub mod apply;
pub mod bundles;
pub mod cases;
pub mod catalogue;
pub mod guide;
pub mod hall;
pub mod home;
pub mod lang;
pub mod login;
pub mod logout;
pub mod register;
pub mod search;
pub mod sharing;
pub mod static_files;
pub mod status;
pub mod workbench;
