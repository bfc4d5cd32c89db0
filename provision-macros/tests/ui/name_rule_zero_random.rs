fn main() {
    let _ = provision_macros::name_rule!("u{random_digit_0}");
}
