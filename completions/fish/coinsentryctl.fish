function __coinsentryctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentryctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __coinsentryctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentryctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __coinsentryctl_parse_tokens -S
    set -l unparsed_tokens (__coinsentryctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'coinsentryctl'
        __coinsentryctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'status'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'hosts'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'top=' 'level=' 'version' 'h/help'
        case 'host'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'span=' 'version' 'h/help'
        case 'alerts'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'since=' 'until=' 'host=' 'level=' 'rule=' 'event=' 'grouped' 'version' 'h/help'
        case 'ack'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
        case 'close'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
        case 'benign'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'reason=' 'for=' 'list' 'remove' 'version' 'h/help'
        case 'label'
            __coinsentryctl_parse_subcommand 2 'socket=' 'json' 'note=' 'list' 'remove' 'version' 'h/help'
        case 'stats'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'model'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'reload'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'pause'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'resume'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'block'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'all' 'version' 'h/help'
        case 'unblock'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
        case 'allow'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
        case 'disallow'
            __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
        case 'allowlist'
            __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
        case 'chain'
            __coinsentryctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
            case 'address'
                __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
            case 'patterns'
                __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'members=' 'version' 'h/help'
            case 'watch'
                __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
            case 'unwatch'
                __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
            case 'watchlist'
                __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
            case 'testbed'
                __coinsentryctl_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'scenarios'
                    __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
                case 'start'
                    __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'seed=' 'blocks=' 'version' 'h/help'
                case 'runs'
                    __coinsentryctl_parse_subcommand 0 'socket=' 'json' 'version' 'h/help'
                case 'run'
                    __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
                case 'labels'
                    __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
                case 'train'
                    __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
                case 'delete'
                    __coinsentryctl_parse_subcommand 1 'socket=' 'json' 'version' 'h/help'
                end
            end
        case 'fleet'
            __coinsentryctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __coinsentryctl_parse_subcommand 0 'state=+' 'json' 'version' 'h/help'
            end
        case 'help'
            __coinsentryctl_parse_subcommand -r 1 'version'
        end
    end
end

function __coinsentryctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __coinsentryctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __coinsentryctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __coinsentryctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__coinsentryctl_tokens -p)
    if test -z "$(__coinsentryctl_tokens -t)"
        set -l index (count (__coinsentryctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'coinsentryctl' -f
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'status' -d 'The sensor at a glance.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'hosts' -d 'Tracked hosts: mining first, then suspects, then the rest, each by the vote\'s score.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'host' -d 'One host: verdict, score, recent window decisions, busiest remote endpoints, traffic.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'alerts' -d 'Alerts raised, oldest first, with local times; or grouped by host and rule.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'ack' -d 'Acknowledge an alert (seen), with your name and the time; `coinsentryctl alerts` shows ids.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'close' -d 'Close an alert; closing a host\'s open alert ends its episode (a cleared alert, closed-by-operator).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'benign' -d 'Mark a host or remote endpoint benign: its alerts are suppressed (and counted) until the mark ends.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'label' -d 'Label a local host mining or normal for fleet learning; list and remove labels.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'stats' -d 'Packets and bytes per second, drops by cause, ring overflow, hosts tracked and expired.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'model' -d 'The loaded model and its held-out metrics.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'reload' -d 'Reload as SIGHUP does: configuration, pool-domain lists, pool model and model.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'pause' -d 'Stop deciding and alerting (capture keeps counting), e.g. for a maintenance window.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'resume' -d 'Decide and alert again, on fresh windows.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'block' -d 'Drop a host\'s mining traffic (inline mode, block policy).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'unblock' -d 'Stop dropping a host\'s traffic (an automatic block too: it returns only when the verdict clears and turns mining again).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'allow' -d 'Put a host on the allowlist: never blocked (it is still alerted on).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'disallow' -d 'Take a host off the allowlist (entries from inline.allowlist stay: edit the configuration).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'allowlist' -d 'The allowlist and the hosts blocked now.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'chain' -d 'Ask a running coinsentry-chaind: chain status, an address, patterns, the watchlist, the testbed.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'fleet' -d 'Fleet learning: the latest run and round, the last model installed or refused, and why.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl status" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl status" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl status" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" top' -l 'top' -d 'How many hosts.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" level' -l 'level' -d 'Only hosts at this level: mining or suspect.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl hosts" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl host" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl host" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl host" span' -l 'span' -d 'The traffic series\' span: 15m, 1h (the default), 6h, 24h, from 1m to 1d.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl host" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl host" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" since' -l 'since' -d 'Only alerts at or after this time: a span back from now (30m, 1h, 2d, 1w) or RFC 3339 (2026-11-23T08:00:00Z).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" until' -l 'until' -d 'Only alerts at or before this time, given as --since is.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" host' -l 'host' -d 'Only this host\'s alerts.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" level' -l 'level' -d 'Only alerts of this level: mining or suspect.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" rule' -l 'rule' -d 'Only alerts decided by this rule (stratum, pool-name, pool-shape, vote, ...).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" event' -l 'event' -d 'Only this event: mining, suspect, cleared, reminder, blocked, unblocked, audit.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" grouped' -l 'grouped' -d 'One line per host and rule: alerts, first and last seen, those neither acknowledged nor closed.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl alerts" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl ack" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl ack" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl ack" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl ack" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl close" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl close" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl close" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl close" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" reason' -l 'reason' -d 'Why it is benign (kept with the mark).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" for' -l 'for' -d 'How long the mark holds: 30m, 12h, 7d, 4w (default: until removed).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" list' -l 'list' -d 'List the marks.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" remove' -l 'remove' -d 'Remove the mark of TARGET.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl benign" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl label" -eq 1' -fka 'mining normal'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" note' -l 'note' -d 'Why, in one line (kept with the label).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" list' -l 'list' -d 'List the labels.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" remove' -l 'remove' -d 'Remove the label of HOST.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl label" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl stats" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl stats" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl stats" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl model" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl model" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl model" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl model" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl reload" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl reload" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl reload" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl reload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl pause" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl pause" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl pause" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl pause" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl resume" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl resume" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl resume" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl resume" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl block" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl block" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl block" all' -l 'all' -d 'Drop all of the host\'s traffic, not only its mining endpoints.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl block" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl block" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl unblock" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl unblock" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl unblock" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl unblock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allow" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allow" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allow" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl disallow" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl disallow" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl disallow" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl disallow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allowlist" socket' -l 'socket' -d 'The daemon\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allowlist" json' -l 'json' -d 'Print the daemon\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allowlist" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl allowlist" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'status' -d 'The sidecar at a glance: tip, counts, last cycle, watchlist, alert sinks.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'address' -d 'One address: balance and transactions, behaviour class, cluster, patterns and features.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'patterns' -d 'Recurring patterns (near-identical neighbourhoods across windows), most frequent first.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'watch' -d 'Watch an address: its new activity and behaviour-class changes become alerts (journald, syslog).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'unwatch' -d 'Stop watching an address (removed from the watchlist file too).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'watchlist' -d 'The watched addresses.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain" -eq 1' -fa 'testbed' -d 'Testbed runs in the sidecar: scenarios, start a run, its progress, its labels, ingest and train, delete.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain status" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain status" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain status" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain address" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain address" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain address" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain address" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain patterns" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain patterns" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain patterns" members' -l 'members' -d 'Member addresses shown per pattern (all with --json).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain patterns" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain patterns" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watch" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watch" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watch" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain unwatch" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain unwatch" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain unwatch" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain unwatch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watchlist" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watchlist" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watchlist" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain watchlist" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'scenarios' -d 'The scenarios a run may be started from, with their defaults.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'start' -d 'Start a run (one at a time); it goes on in the sidecar.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'runs' -d 'Every run, newest first.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'run' -d 'One run: its progress or how it ended, and its training.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'labels' -d 'A finished run\'s labels file (address,class,set,actor,behaviour).'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'train' -d 'Ingest a finished run into a chain database of its own and train a behaviour model on it.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl chain testbed" -eq 1' -fa 'delete' -d 'Delete a run that is not generating or training: its blocks, labels, chain database and model.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed scenarios" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed scenarios" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed scenarios" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed scenarios" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" seed' -l 'seed' -d 'Seed of every random choice (default: the scenario\'s, else 1).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" blocks' -l 'blocks' -d 'Activity blocks after the bootstrap blocks (default: the scenario\'s).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed start" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed runs" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed runs" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed runs" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed runs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed run" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed run" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed run" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed labels" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed labels" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed labels" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed labels" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed train" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed train" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed train" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed train" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed delete" socket' -l 'socket' -d 'The chain sidecar\'s control socket.' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed delete" json' -l 'json' -d 'Print the sidecar\'s reply as JSON.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed delete" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl chain testbed delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_positional "coinsentryctl fleet" -eq 1' -fa 'status' -d 'Per federation: the latest run, its rounds, the last model installed or refused, refusals.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet status"' -l 'state' -d 'A fleet state file (repeatable).' -rfka ''
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet status" json' -l 'json' -d 'Print the status as one JSON object.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet status" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl fleet status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentryctl' -n '__coinsentryctl_should_offer_completions_for_flags_or_options "coinsentryctl help" version' -l 'version' -d 'Show the version.'
