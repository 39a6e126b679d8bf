function __coinsentry-web_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentry-web_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __coinsentry-web_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __coinsentry-web_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __coinsentry-web_parse_tokens -S
    set -l unparsed_tokens (__coinsentry-web_tokens -pc)
    switch $unparsed_tokens[1]
    case 'coinsentry-web'
        __coinsentry-web_parse_subcommand 0 'config=' 'assets=' 'vendor=' 'listen=' 'check' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __coinsentry-web_parse_subcommand -r 1 'version'
        end
    end
end

function __coinsentry-web_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __coinsentry-web_parse_subcommand -S -a positional_count
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

function __coinsentry-web_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __coinsentry-web_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__coinsentry-web_tokens -p)
    if test -z "$(__coinsentry-web_tokens -t)"
        set -l index (count (__coinsentry-web_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'coinsentry-web' -f
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" config' -l 'config' -d 'Configuration file (TOML).' -rfka ''
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" assets' -l 'assets' -d 'The console\'s folder (pages, scripts, openapi.json), instead of [web] assets.' -rfka ''
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" vendor' -l 'vendor' -d 'Debian\'s JavaScript folder (Bootstrap 5, Chart.js), instead of [web] vendor.' -rfka ''
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" listen' -l 'listen' -d 'HOST:PORT to listen on, instead of [web] listen.' -rfka ''
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" check' -l 'check' -d 'Check the configuration, print what would run, and exit.'
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" version' -l 'version' -d 'Show the version.'
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_positional "coinsentry-web" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'coinsentry-web' -n '__coinsentry-web_should_offer_completions_for_flags_or_options "coinsentry-web help" version' -l 'version' -d 'Show the version.'
