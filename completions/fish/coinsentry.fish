function __coinsentry_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentry_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __coinsentry_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentry_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __coinsentry_parse_tokens -S
    set -l unparsed_tokens (__coinsentry_tokens -pc)
    switch $unparsed_tokens[1]
    case 'coinsentry'
        __coinsentry_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'replay'
            __coinsentry_parse_subcommand 1 'local-net=+' 'interval=' 'filter=' 'max-gap=' 'json' 'trace-dir=' 'model=' 'record-labelled=' 'pool-domains=+' 'pool-model=' 'shape-min-age=' 'no-flow-tracking' 'single-thread' 'version' 'h/help'
        case 'capture'
            __coinsentry_parse_subcommand 1 'local-net=+' 'duration=' 'interval=' 'filter=' 'cpu=' 'buffer-mib=' 'immediate' 'no-immediate' 'json' 'version' 'h/help'
        case 'synth'
            __coinsentry_parse_subcommand 1 'interval=' 'local=' 'remote=' 'local-port=' 'start=' 'rows=' 'skip-rows=' 'o/output=' 'version' 'h/help'
        case 'merge'
            __coinsentry_parse_subcommand -r 1 'o/output=' 'version' 'h/help'
        case 'train'
            __coinsentry_parse_subcommand 0 'data=+' 'manifest=+' 'trace-interval=' 'interval=' 'window=+' 'slide=' 'log-scale' 'penalty=' 'pca-variance=' 'vote-length=' 'vote-threshold=' 'min-windows=' 'clear-threshold=' 'normal-weight=' 'validation-fpr=' 'validation-fraction=' 'max-windows-per-trace=' 'ignore-feature=+' 'train-exclude=+' 'exclude=+' 'o/output=' 'train-fraction=' 'multiclass' 'class-penalty=' 'class-vote-length=' 'class-min-windows=' 'class-max-windows-per-trace=' 'add-classes-to=' 'version' 'h/help'
        case 'train-pool'
            __coinsentry_parse_subcommand 0 'split=' 'output=' 'cross-validate' 'pool-local-net=+' 'minimum-age=' 'confidence-messages=' 'penalty=' 'export-features=' 'json' 'version' 'h/help'
        case 'evaluate'
            __coinsentry_parse_subcommand -r 1 'model=' 'label=' 'interval=' 'json' 'class=' 'capture' 'local-net=+' 'mining-host=+' 'pool-domains=+' 'pool-model=' 'shape-min-age=' 'no-flow-tracking' 'episode-hold=' 'evidence=+' 'version' 'h/help'
        case 'crossvalidate'
            __coinsentry_parse_subcommand 0 'data=+' 'manifest=+' 'trace-interval=' 'interval=' 'window=+' 'slide=' 'log-scale' 'penalty=' 'pca-variance=' 'vote-length=' 'vote-threshold=' 'min-windows=' 'clear-threshold=' 'normal-weight=' 'validation-fpr=' 'validation-fraction=' 'max-windows-per-trace=' 'ignore-feature=+' 'train-exclude=+' 'exclude=+' 'split=' 'train-fraction=' 'test-only=+' 'json' 'multiclass' 'class-penalty=' 'class-vote-length=' 'class-min-windows=' 'class-max-windows-per-trace=' 'version' 'h/help'
        case 'synth-sparse'
            __coinsentry_parse_subcommand 0 'o/output=' 'interval=' 'duration=' 'seed=' 'version' 'h/help'
        case 'chain'
            __coinsentry_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'ingest'
                __coinsentry_parse_subcommand 0 'blocks=' 'rpc=' 'cookie=' 'rpc-user=' 'rpc-password=' 'db=' 'postgres=' 'network=' 'batch=' 'max-blocks=' 'skip-garbage' 'json' 'version' 'h/help'
            case 'train'
                __coinsentry_parse_subcommand 0 'db=' 'postgres=' 'network=' 'labels=+' 'model=' 'seed=' 'holdout=' 'version' 'h/help'
            case 'classify'
                __coinsentry_parse_subcommand -r 1 'db=' 'postgres=' 'network=' 'model=' 'json' 'version' 'h/help'
            case 'evaluate'
                __coinsentry_parse_subcommand 0 'db=' 'postgres=' 'network=' 'model=' 'labels=+' 'json' 'version' 'h/help'
            case 'similarity'
                __coinsentry_parse_subcommand 0 'edges=' 'depth=' 'directed' 'json' 'from=' 'version' 'h/help'
            case 'patterns'
                __coinsentry_parse_subcommand 0 'db=' 'postgres=' 'network=' 'window-blocks=' 'depth=' 'threshold=' 'min-occurrences=' 'min-group=' 'from-height=' 'json' 'version' 'h/help'
            end
        case 'testbed'
            __coinsentry_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __coinsentry_parse_subcommand 1 'out=' 'seed=' 'blocks=' 'bitcoind' 'nodes=' 'base-port=' 'keep-nodes' 'version' 'h/help'
            end
        case 'help'
            __coinsentry_parse_subcommand -r 1 'version'
        end
    end
end

function __coinsentry_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __coinsentry_parse_subcommand -S -a positional_count
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

function __coinsentry_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __coinsentry_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__coinsentry_tokens -p)
    if test -z "$(__coinsentry_tokens -t)"
        set -l index (count (__coinsentry_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'coinsentry' -f
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'replay' -d 'Replay a pcap or pcapng file through the capture path and print per-host counts.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'capture' -d 'Capture on a live interface for a while and print per-host counts and drop counters.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'synth' -d 'Render a trace into a pcap whose per-interval IP bytes and packets equal the trace\'s.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'merge' -d 'Sum traces element-wise, cut to the shortest, as Nypto built its traffic mixes.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'train' -d 'Train the mining classifier on labelled traces and write a model file.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'train-pool' -d 'Train the pool-connection classifier on flow shapes of pool sessions and ordinary captures.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'evaluate' -d 'Run traces through the sensor\'s window engine, model and vote, and count the outcome.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'crossvalidate' -d 'Evaluate the training procedure on held-out data: a time split or leave-one-trace-out.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'synth-sparse' -d 'Render sparse periodic ordinary traffic (mail polling, chat and MQTT keepalives) as traces.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'chain' -d 'Bitcoin chain ingestion, address behaviour classes and transaction-graph patterns.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'testbed' -d 'Make a labelled regtest chain by replaying random and scripted behaviours.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay"' -l 'local-net' -d 'A local network in CIDR notation; repeat for several.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" interval' -l 'interval' -d 'Interval width in seconds.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" filter' -l 'filter' -d 'A BPF filter applied before counting, e.g. \'tcp\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" max-gap' -l 'max-gap' -d 'Seconds of silence after which time counts as a discontinuity.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" json' -l 'json' -d 'Print one JSON object instead of a table.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" trace-dir' -l 'trace-dir' -d 'Write each host\'s interval series as a trace file here.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" model' -l 'model' -d 'A model file: decide every host\'s verdict as the sensor would.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" record-labelled' -l 'record-labelled' -d 'Write the interval series of hosts seen mining (stratum evidence) here as labelled training traces.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay"' -l 'pool-domains' -d 'A pool-domain list (one domain a line); repeat for several. Default: etc/coinsentry/pool-domains.txt if present.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" pool-model' -l 'pool-model' -d 'The pool-connection classifier. Default: etc/coinsentry/pool-model.json if present.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" shape-min-age' -l 'shape-min-age' -d 'Seconds a TCP flow must live before it is summarised.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" no-flow-tracking' -l 'no-flow-tracking' -d 'Track only JSON-like flows (no flow shapes, no pool-shape).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" single-thread' -l 'single-thread' -d 'Read, parse and count in the capture thread alone (by default a reader thread reads and parses the file beside it when a second CPU is free; the results are the same).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture"' -l 'local-net' -d 'A local network in CIDR notation; repeat for several.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" duration' -l 'duration' -d 'Seconds to capture.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" interval' -l 'interval' -d 'Interval width in seconds.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" filter' -l 'filter' -d 'A BPF filter applied in the kernel.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" cpu' -l 'cpu' -d 'Pin the capture thread to this CPU.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" buffer-mib' -l 'buffer-mib' -d 'Kernel capture buffer in MiB.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" immediate' -l 'immediate' -d 'libpcap immediate mode (per-packet delivery, TPACKET_V2 on Linux).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" no-immediate' -l 'no-immediate' -d 'libpcap immediate mode (per-packet delivery, TPACKET_V2 on Linux).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" json' -l 'json' -d 'Print one JSON object instead of a table.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry capture" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" interval' -l 'interval' -d 'Seconds between the starts of consecutive rows in the output.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" local' -l 'local' -d 'The local host\'s address (IPv4 or IPv6).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" remote' -l 'remote' -d 'The remote endpoint as IP:PORT ([IPv6]:PORT for IPv6).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" local-port' -l 'local-port' -d 'The local TCP port.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" start' -l 'start' -d 'Start time of the first row, seconds since 1970 (rounded down to the interval).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" rows' -l 'rows' -d 'Render only the first N rows.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" skip-rows' -l 'skip-rows' -d 'Skip this many rows first.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" o output' -l 'output' -s 'o' -d 'The pcap file to write.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry merge" o output' -l 'output' -s 'o' -d 'The trace file to write.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry merge" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry merge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'data' -d 'A folder of trace files (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'manifest' -d 'Manifest for the --data folder at the same position (repeatable); default: the folder\'s coinsentry-manifest.txt, else the Nypto naming rule.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" trace-interval' -l 'trace-interval' -d 'Seconds per row in the trace files.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" interval' -l 'interval' -d 'Seconds per interval of the model (the sensor\'s bucket).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'window' -d 'Window length in seconds (repeatable; default 120).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" slide' -l 'slide' -d 'Seconds between windows.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" log-scale' -l 'log-scale' -d 'Features of log(1 + count) instead of raw counts.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" penalty' -l 'penalty' -d 'The SVC penalty C.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" pca-variance' -l 'pca-variance' -d 'Share of variance the kept PCA components explain.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" vote-length' -l 'vote-length' -d 'Decisions the vote counts.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" vote-threshold' -l 'vote-threshold' -d 'Mining share above which the verdict is mining.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" min-windows' -l 'min-windows' -d 'Decisions before any verdict.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" clear-threshold' -l 'clear-threshold' -d 'Mining share at or below which a mining verdict clears.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" normal-weight' -l 'normal-weight' -d 'Multiplies the normal class\'s balanced weight.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" validation-fpr' -l 'validation-fpr' -d 'Raise the decision offset until at most this share of normal validation windows (carved from the end of every training trace) is decided mining.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" validation-fraction' -l 'validation-fraction' -d 'Share of each training trace that validates.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" max-windows-per-trace' -l 'max-windows-per-trace' -d 'Train on at most this many windows of each trace.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'ignore-feature' -d 'Give weight 0 to features whose name contains this (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'train-exclude' -d 'Never train on traces whose name contains this; they are still tested (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train"' -l 'exclude' -d 'Leave out traces whose name contains this (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" o output' -s 'o' -l 'output' -d 'Where to write the model file.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" train-fraction' -l 'train-fraction' -d 'Share of each trace the held-out check trains on.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" multiclass' -l 'multiclass' -d 'Also train one-vs-rest SVCs naming the traffic class (one class per source trace; mixes have none unless the manifest gives class=NAME), over the binary model\'s scaler and PCA.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" class-penalty' -l 'class-penalty' -d 'The penalty C of every one-vs-rest SVC (default: --penalty).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" class-vote-length' -l 'class-vote-length' -d 'Window classes a host\'s class vote counts.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" class-min-windows' -l 'class-min-windows' -d 'Window classes before a host has a class.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" class-max-windows-per-trace' -l 'class-max-windows-per-trace' -d 'Train the class SVCs on at most this many windows of each trace (evenly spaced).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" add-classes-to' -l 'add-classes-to' -d 'With --multiclass: keep this model\'s binary part exactly (scaler, PCA, SVC, vote, metrics: every binary decision stays the same) and add a class block fitted on its scaler and PCA. The window flags must match the model\'s.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" split' -l 'split' -d 'The split file: ROLE PATH lines (train-pool, train-ordinary, test-pool, test-ordinary).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" output' -l 'output' -d 'Where to write the model (JSON). Required unless --cross-validate.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" cross-validate' -l 'cross-validate' -d 'Leave-one-capture-out cross-validation on the training captures only; writes no model.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool"' -l 'pool-local-net' -d 'The miner hosts of the pool captures (CIDR; repeat).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" minimum-age' -l 'minimum-age' -d 'Seconds a flow must have lived to be trained on and scored.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" confidence-messages' -l 'confidence-messages' -d 'Pushes and replies a flow must show for its full score (younger flows score in proportion; 0: none).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" penalty' -l 'penalty' -d 'The SVM\'s regularisation (C).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" export-features' -l 'export-features' -d 'Also write the flow summaries read (their figures and feature rows) to this CSV file.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" json' -l 'json' -d 'Print the evaluation as JSON.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry train-pool" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" model' -l 'model' -d 'The model file.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" label' -l 'label' -d 'The traces\' class.' -rfka 'mining normal'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" interval' -l 'interval' -d 'Seconds per row in the trace files; resampled to the model\'s interval.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" json' -l 'json' -d 'Print one JSON object: {"windows": COUNTS, "voted": COUNTS, "latency_s": SECONDS or null}.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" class' -l 'class' -d 'The traces\' traffic class, with a model that has a class block: adds per-class figures.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" capture' -l 'capture' -d 'The arguments are capture files (pcap, pcapng), replayed through the sensor\'s path.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate"' -l 'local-net' -d 'With --capture: a local network in CIDR notation; repeat for several.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate"' -l 'mining-host' -d 'With --capture: a local host that mines; repeat for several.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate"' -l 'pool-domains' -d 'A pool-domain list (one domain a line); repeat for several. Default: etc/coinsentry/pool-domains.txt if present.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" pool-model' -l 'pool-model' -d 'The pool-connection classifier. Default: etc/coinsentry/pool-model.json if present.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" shape-min-age' -l 'shape-min-age' -d 'Seconds a TCP flow must live before it is summarised.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" no-flow-tracking' -l 'no-flow-tracking' -d 'Track only JSON-like flows (no flow shapes, no pool-shape).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" episode-hold' -l 'episode-hold' -d 'With --capture: seconds an alert episode stays open without a rule holding (coinsentryd\'s alerts.episode_hold_seconds).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate"' -l 'evidence' -d 'With --capture: evidence the verdict may use besides the vote: none, stratum, pool-shape, pool-name or all (as coinsentryd); repeat for several.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry evaluate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'data' -d 'A folder of trace files (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'manifest' -d 'Manifest for the --data folder at the same position (repeatable); default: the folder\'s coinsentry-manifest.txt, else the Nypto naming rule.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" trace-interval' -l 'trace-interval' -d 'Seconds per row in the trace files.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" interval' -l 'interval' -d 'Seconds per interval of the model (the sensor\'s bucket).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'window' -d 'Window length in seconds (repeatable; default 120).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" slide' -l 'slide' -d 'Seconds between windows.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" log-scale' -l 'log-scale' -d 'Features of log(1 + count) instead of raw counts.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" penalty' -l 'penalty' -d 'The SVC penalty C.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" pca-variance' -l 'pca-variance' -d 'Share of variance the kept PCA components explain.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" vote-length' -l 'vote-length' -d 'Decisions the vote counts.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" vote-threshold' -l 'vote-threshold' -d 'Mining share above which the verdict is mining.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" min-windows' -l 'min-windows' -d 'Decisions before any verdict.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" clear-threshold' -l 'clear-threshold' -d 'Mining share at or below which a mining verdict clears.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" normal-weight' -l 'normal-weight' -d 'Multiplies the normal class\'s balanced weight.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" validation-fpr' -l 'validation-fpr' -d 'Raise the decision offset until at most this share of normal validation windows (carved from the end of every training trace) is decided mining.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" validation-fraction' -l 'validation-fraction' -d 'Share of each training trace that validates.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" max-windows-per-trace' -l 'max-windows-per-trace' -d 'Train on at most this many windows of each trace.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'ignore-feature' -d 'Give weight 0 to features whose name contains this (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'train-exclude' -d 'Never train on traces whose name contains this; they are still tested (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'exclude' -d 'Leave out traces whose name contains this (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" split' -l 'split' -d 'time or trace.' -rfka 'time trace'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" train-fraction' -l 'train-fraction' -d 'Share of each trace that trains (time split).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate"' -l 'test-only' -d 'Leave-one-out tests only traces whose name contains this.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" json' -l 'json' -d 'Print the pooled figures as one JSON object instead of Markdown.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" multiclass' -l 'multiclass' -d 'Also train one-vs-rest SVCs naming the traffic class (one class per source trace; mixes have none unless the manifest gives class=NAME), over the binary model\'s scaler and PCA.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" class-penalty' -l 'class-penalty' -d 'The penalty C of every one-vs-rest SVC (default: --penalty).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" class-vote-length' -l 'class-vote-length' -d 'Window classes a host\'s class vote counts.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" class-min-windows' -l 'class-min-windows' -d 'Window classes before a host has a class.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" class-max-windows-per-trace' -l 'class-max-windows-per-trace' -d 'Train the class SVCs on at most this many windows of each trace (evenly spaced).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry crossvalidate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" o output' -s 'o' -l 'output' -d 'Folder to write the traces into.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" interval' -l 'interval' -d 'Seconds per row.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" duration' -l 'duration' -d 'Seconds of traffic per trace.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" seed' -l 'seed' -d 'Seed of the first profile; each profile adds its index.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry synth-sparse" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'ingest' -d 'Ingest blocks from Bitcoin Core block files or JSON-RPC into the chain database.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'train' -d 'Train the address behaviour classifier from labelled addresses.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'classify' -d 'Behaviour class of addresses, with a confidence for every class.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'evaluate' -d 'Confusion matrix, per-class precision and recall, calibration error.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'similarity' -d 'Walk-signature distance (BlockNinjas) of every node pair, sorted ascending.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry chain" -eq 1' -fa 'patterns' -d 'Groups of same-shaped addresses that recur over windows of blocks (automated payouts).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" blocks' -l 'blocks' -d 'Directory of blk*.dat files (a node\'s blocks/ directory).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" rpc' -l 'rpc' -d 'JSON-RPC URL of a Bitcoin node, e.g. http://127.0.0.1:8332/.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" cookie' -l 'cookie' -d 'RPC cookie file (the node\'s .cookie).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" rpc-user' -l 'rpc-user' -d 'RPC user name.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" rpc-password' -l 'rpc-password' -d 'RPC password.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" db' -l 'db' -d 'Chain database (SQLite file).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" postgres' -l 'postgres' -d 'PostgreSQL database instead of SQLite: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" network' -l 'network' -d 'Network of the block files: mainnet, testnet, signet or regtest (RPC asks the node).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" batch' -l 'batch' -d 'Blocks per database transaction.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" max-blocks' -l 'max-blocks' -d 'Stop after storing this many blocks.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" skip-garbage' -l 'skip-garbage' -d 'Skip unreadable bytes between block records instead of failing.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" json' -l 'json' -d 'Print a JSON summary on standard output.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain ingest" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" db' -l 'db' -d 'Chain database (SQLite file) written by \'coinsentry chain ingest\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" postgres' -l 'postgres' -d 'PostgreSQL chain database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" network' -l 'network' -d 'Network of the database: mainnet, testnet, signet or regtest.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train"' -l 'labels' -d 'Label file (repeatable).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" model' -l 'model' -d 'Where to write the model (JSON).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" seed' -l 'seed' -d 'Seed of the calibration split.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" holdout' -l 'holdout' -d 'Share of each class held out to calibrate the confidences.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain train" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" db' -l 'db' -d 'Chain database (SQLite file) written by \'coinsentry chain ingest\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" postgres' -l 'postgres' -d 'PostgreSQL chain database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" network' -l 'network' -d 'Network of the database: mainnet, testnet, signet or regtest.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" model' -l 'model' -d 'Model file written by \'coinsentry chain train\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" json' -l 'json' -d 'Print JSON.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain classify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" db' -l 'db' -d 'Chain database (SQLite file) written by \'coinsentry chain ingest\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" postgres' -l 'postgres' -d 'PostgreSQL chain database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" network' -l 'network' -d 'Network of the database: mainnet, testnet, signet or regtest.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" model' -l 'model' -d 'Model file.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate"' -l 'labels' -d 'Label file (repeatable), PATH or SET=PATH.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" json' -l 'json' -d 'Print JSON.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain evaluate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" edges' -l 'edges' -d 'Edge list file.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" depth' -l 'depth' -d 'Walk length in steps.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" directed' -l 'directed' -d 'Treat each line \'a b\' as an arc a -> b and sum the out- and in-degree signatures\' distances.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" json' -l 'json' -d 'Print JSON.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" from' -l 'from' -d 'Only the distances from this node to every other (then \'a\' is this node, not the smaller id).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain similarity" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" db' -l 'db' -d 'Chain database (SQLite file) written by \'coinsentry chain ingest\'.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" postgres' -l 'postgres' -d 'PostgreSQL chain database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" network' -l 'network' -d 'Network of the database: mainnet, testnet, signet or regtest.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" window-blocks' -l 'window-blocks' -d 'Blocks per window.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" depth' -l 'depth' -d 'Walk depth of the signature.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" threshold' -l 'threshold' -d 'Largest walk-signature distance for two addresses to count as the same shape.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" min-occurrences' -l 'min-occurrences' -d 'Windows a group must recur in.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" min-group' -l 'min-group' -d 'Smallest group size.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" from-height' -l 'from-height' -d 'First height analysed (default: lowest stored).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" json' -l 'json' -d 'Print JSON.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry chain patterns" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_positional "coinsentry testbed" -eq 1' -fa 'run' -d 'Run a scenario into regtest block files, a labels file and a summary.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" out' -l 'out' -d 'Output directory (created when missing).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" seed' -l 'seed' -d 'Seed of every random choice (default: the scenario\'s seed, else 1).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" blocks' -l 'blocks' -d 'Activity blocks after the bootstrap blocks (default: the scenario\'s).' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" bitcoind' -l 'bitcoind' -d 'Replay the run through regtest bitcoind nodes\' RPC (needs bitcoind on the PATH).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" nodes' -l 'nodes' -d 'Regtest nodes to start with --bitcoind.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" base-port' -l 'base-port' -d 'First port of the nodes: node i listens on BASE+2i and answers RPC on BASE+2i+1.' -rfka ''
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" keep-nodes' -l 'keep-nodes' -d 'Leave the nodes running after --bitcoind (stop them with the \'stop\' RPC).'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry testbed run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry' -n '__coinsentry_should_offer_completions_for_flags_or_options "coinsentry help" version' -l 'version' -d 'Show the version.'
