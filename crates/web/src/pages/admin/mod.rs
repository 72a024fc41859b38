//! Administration pages (catalogue editing, staff, roles, audit).
