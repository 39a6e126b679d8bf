# The C fuzz targets and the pure C files of Sources/CCapture each one exercises; sourced by run.sh and long.sh.
declare -A sources=([packet_parser]=packet_parse.c [stratum_match]=stratum_match.c [dns_parse]=dns_parse.c
                   [tls_sni]="tls_parse.c domain_table.c" [flow_shape]=flow_shape.c)
c_targets=(packet_parser stratum_match dns_parse tls_sni flow_shape)
