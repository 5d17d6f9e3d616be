fn main() -> std::process::ExitCode {
    inkstone::cli::main()
}
