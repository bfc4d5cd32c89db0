//! Entry points for the coverage-guided fuzz targets in `fuzz/` (feature `fuzzing`,
//! never on by default): the parsers of OCS answers, which are otherwise internal.
//! Nothing here is a stable API; it exists so that the fuzzer drives the very code the
//! client runs, without making that code public.

use provision_core::Result;
use serde_json::Value;

use crate::client::UserRecord;
use crate::error::Operation;

/// The `data` of an answer to `GET /cloud/users/{id}` (status `status`, body `body`),
/// or the error the answer means.
pub fn parse_answer(status: u16, body: &str) -> Result<Value> {
    crate::client::parse_answer(Operation::GetUser, status, body)
}

/// One account record as the client reads it from a JSON tree.
pub fn parse_user(data: &Value) -> Result<UserRecord> {
    crate::client::parse_user(data)
}

/// The accounts of one `users/details` page, read without a JSON tree.
pub fn parse_users_details(status: u16, body: &str) -> Result<Vec<UserRecord>> {
    crate::details::parse_users_details(status, body)
}

/// The same page read the slow way: the answer into a JSON tree, then [`parse_user`]
/// on each record. [`parse_users_details`] must agree with it.
pub fn parse_users_details_via_tree(status: u16, body: &str) -> Result<Vec<UserRecord>> {
    crate::details::details_via_value(status, body)
}
