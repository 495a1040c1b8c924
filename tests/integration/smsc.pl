#!/usr/bin/perl
# tests/integration/smsc.pl - a fake SMSC for the push delivery tests,
# built on Debian's Net::SMPP (libnet-smpp-perl), an SMPP implementation
# independent of wspgw's (libsmpp34 + smpp_pdu.c).
#
#   smsc.pl --port-file F --log F [options]
#     --port N            listen port (0: kernel's choice, written to
#                         --port-file)
#     --delay-ms N        wait N ms before each submit_sm_resp (keeps
#                         submit_sm in flight, for the crash test)
#     --throttle-every N  answer every Nth submit_sm ESME_RTHROTTLED
#     --fail-prefix P     destinations starting with P get
#                         ESME_RINVDSTADR (permanent)
#     --receipts          send a deliver_sm delivery receipt for every
#                         accepted submit_sm that asked for one (again
#                         after the next bind if it was not answered)
#     --undeliv-prefix P  ... whose receipt says UNDELIV for destinations
#                         starting with P
#     --drop-after N      close the connection after the Nth submit_sm
#                         (unanswered), once
#
# Log: one line per PDU received, e.g.
#   bind_transceiver system_id=wspgw password=secret system_type=
#   submit seq=3 dst_ton=1 dst_npi=1 dst=15550001 esm=0x40 dcs=0x04
#       rd=0 sm=0605040b8423f0... status=0x00000000 id=M3
# (one line each), flushed at once, so a test can count what arrived even
# when the gateway is killed.
use strict;
use warnings;
use Getopt::Long;
use IO::Handle;
use Net::SMPP;
use Time::HiRes qw(usleep);

my %o = (port => 0, 'delay-ms' => 0, 'throttle-every' => 0,
    'fail-prefix' => '', receipts => 0, 'undeliv-prefix' => '',
    'drop-after' => 0, 'port-file' => '', log => '');
GetOptions(\%o, 'port=i', 'port-file=s', 'log=s', 'delay-ms=i',
    'throttle-every=i', 'fail-prefix=s', 'receipts', 'undeliv-prefix=s',
    'drop-after=i') or die "smsc.pl: bad options\n";

open(my $log, '>>', $o{log}) or die "smsc.pl: $o{log}: $!\n";
$log->autoflush(1);

my $listen = Net::SMPP->new_listen('127.0.0.1', port => $o{port},
    listen => 5, smpp_version => 0x34)
    or die "smsc.pl: cannot listen: $!\n";
if ($o{'port-file'} ne '') {
    open(my $pf, '>', "$o{'port-file'}.tmp") or die;
    print $pf $listen->sockport(), "\n";
    close($pf);
    rename("$o{'port-file'}.tmp", $o{'port-file'}) or die;
}

my $nsubmit = 0;
# Receipts sent and not yet answered with deliver_sm_resp, by sequence
# number: like a real SMSC, they are sent again after the next bind.
my %pending_receipts;
my $msgid = 0;
my $dropped = 0;

$SIG{TERM} = sub { exit 0; };
# A gateway killed with -9 leaves responses with nowhere to go.
$SIG{PIPE} = 'IGNORE';

while (1) {
    my $c = $listen->accept() or next;
    print $log "connect\n";
    while (1) {
        my $pdu = eval { $c->read_pdu() };
        if (!defined $pdu) {
            print $log "disconnect\n";
            last;
        }
        my $cmd = $pdu->{cmd};
        if ($cmd == 0x00000009 || $cmd == 0x00000002) {
            my $kind = $cmd == 9 ? 'bind_transceiver' : 'bind_transmitter';
            printf $log "%s system_id=%s password=%s system_type=%s\n",
                $kind, $pdu->{system_id}, $pdu->{password},
                $pdu->{system_type};
            if ($cmd == 9) {
                $c->bind_transceiver_resp(seq => $pdu->{seq},
                    system_id => 'fakesmsc');
                my %again = %pending_receipts;
                %pending_receipts = ();
                for my $r (values %again) {
                    my $rseq = $c->deliver_sm(source_addr => $r->[0],
                        destination_addr => '', esm_class => 0x04,
                        data_coding => 0, short_message => $r->[1],
                        async => 1);
                    $pending_receipts{$rseq} = $r;
                    print $log "receipt again\n";
                }
            } else {
                $c->bind_transmitter_resp(seq => $pdu->{seq},
                    system_id => 'fakesmsc');
            }
        } elsif ($cmd == 0x00000004) {
            $nsubmit++;
            my $dst = $pdu->{destination_addr};
            my $status = 0;
            if ($o{'throttle-every'} > 0
                && $nsubmit % $o{'throttle-every'} == 0) {
                $status = 0x58;
            } elsif ($o{'fail-prefix'} ne ''
                && index($dst, $o{'fail-prefix'}) == 0) {
                $status = 0x0B;
            }
            my $id = $status == 0 ? 'M' . (++$msgid) : '';
            printf $log "submit seq=%d dst_ton=%d dst_npi=%d dst=%s "
                . "src=%s esm=0x%02x dcs=0x%02x rd=%d sm=%s "
                . "status=0x%08x id=%s\n",
                $pdu->{seq}, $pdu->{dest_addr_ton}, $pdu->{dest_addr_npi},
                $dst, $pdu->{source_addr}, $pdu->{esm_class},
                $pdu->{data_coding}, $pdu->{registered_delivery},
                unpack('H*', $pdu->{short_message}), $status, $id;
            if ($o{'drop-after'} > 0 && !$dropped
                && $nsubmit >= $o{'drop-after'}) {
                $dropped = 1;
                print $log "drop\n";
                close($c);
                last;
            }
            usleep($o{'delay-ms'} * 1000) if $o{'delay-ms'} > 0;
            if ($status == 0) {
                $c->submit_sm_resp(seq => $pdu->{seq}, message_id => $id);
            } else {
                $c->submit_sm_resp(seq => $pdu->{seq}, message_id => '',
                    status => $status);
            }
            if ($status == 0 && $o{receipts}
                && ($pdu->{registered_delivery} & 1)) {
                my $stat = ($o{'undeliv-prefix'} ne ''
                    && index($dst, $o{'undeliv-prefix'}) == 0)
                    ? 'UNDELIV' : 'DELIVRD';
                my $text = sprintf('id:%s sub:001 dlvrd:%s submit '
                    . 'date:2611250000 done date:2611250000 stat:%s '
                    . 'err:000 text:', $id,
                    $stat eq 'DELIVRD' ? '001' : '000', $stat);
                my $rseq = $c->deliver_sm(source_addr => $dst,
                    destination_addr => '', esm_class => 0x04,
                    data_coding => 0, short_message => $text, async => 1);
                $pending_receipts{$rseq} = [$dst, $text];
                printf $log "receipt id=%s stat=%s\n", $id, $stat;
            }
        } elsif ($cmd == 0x00000015) {
            $c->enquire_link_resp(seq => $pdu->{seq});
            print $log "enquire_link\n";
        } elsif ($cmd == 0x00000006) {
            $c->unbind_resp(seq => $pdu->{seq});
            print $log "unbind\n";
        } elsif ($cmd == 0x80000005) {
            delete $pending_receipts{$pdu->{seq}};
            print $log "deliver_sm_resp status=$pdu->{status}\n";
        } else {
            printf $log "other cmd=0x%08x\n", $cmd;
        }
    }
    close($c);
}
