fn main() -> std::process::ExitCode {
    equipe::cli::main()
}
