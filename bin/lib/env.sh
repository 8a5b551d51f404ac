# Shared settings for the bin/ scripts (sourced, not run).
export CDK_DISABLE_CLI_TELEMETRY=true
# jsii reads a list of Node major versions whose end-of-life banner to silence.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20,22"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="20,22"
# local/ provisions moto with the AWS SDK for JavaScript, which warns that its 2027 releases will need Node 22.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

step() {
  printf '\n== %s\n' "$*"
}

require_tools() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing tools: ${missing[*]}" >&2
    echo "install them first (Java 17+, Maven, Node 20+ with npm, and: pip install -r .ci/python-tools.txt), or run .ci/run" >&2
    exit 1
  fi
}
