# Runs Redis's test suite (tests/test_helper.tcl, from the current directory) with two
# adjustments to its external-server harness, made in place once tests/support/server.tcl
# is loaded. Neither changes a test; both keep one missing command from stopping every
# test of a file before it starts:
#
# 1. Each `start_server` block in external mode begins with FUNCTION FLUSH. The playground
#    has no Lua functions yet (issue 19), so that line would end the file with an
#    exception. It is made to tolerate the error.
# 2. A block's `overrides` are applied with CONFIG SET (and restored after). A parameter
#    the playground cannot set yet (issue 20) would end the file the same way; the block
#    now runs under the default instead, and tests that depend on the setting fail (and
#    are counted as failures).
#
# The suite starts its test clients by running its main script again (`info script`), so
# its code is evaluated here rather than sourced: the main script stays this file, and
# the clients get the same adjustments.

rename source _harness_source
proc source {file args} {
    set result [uplevel #0 [list _harness_source $file {*}$args]]
    if {[string match *support/server.tcl $file]} {
        set body [info body run_external_server_test]
        set body [string map [list \
            {r function flush} {catch {r function flush}} \
            {r config set $param $val} {catch {r config set $param $val}} \
        ] $body]
        proc run_external_server_test [info args run_external_server_test] $body
    }
    return $result
}

set harness_file [open tests/test_helper.tcl]
set harness_code [read $harness_file]
close $harness_file
uplevel #0 $harness_code
