// The live bench's ground truth is what sipp says it sent: the parse of its final screens and statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sippRate, sippSent } from './benches/live.js';

test('sipp\'s final screens give the messages each end sent, retransmissions included', () => {
  const uac = `------------------------------ Scenario Screen -------- [1-9]: Change Screen --
                                 Messages  Retrans   Timeout   Unexpected-Msg
      INVITE ---------->         30000     673       72
         100 <----------         0         0         0         0
         180 <----------         29807     0         0         0
         200 <----------  E-RTD1 29928     0         0         0
         ACK ---------->         29928     0
       Pause [      0ms]         29928                         0
         BYE ---------->         29928     1489      113
         200 <----------         29815     0         0         0
`;
  assert.equal(sippSent(uac), 30000 + 673 + 29928 + 29928 + 1489);
  const uas = `------------------------------ Scenario Screen -------- [1-9]: Change Screen --
                                 Messages  Retrans   Timeout   Unexpected-Msg
  ----------> INVITE             100       0         0         0
  <---------- 180                100       0
  <---------- 200                100       2         0
  ----------> ACK         E-RTD1 100       0         0         0
  ----------> BYE                100       0         0         0
  <---------- 200                100       0
  [   4000ms] Pause              100                           0
`;
  assert.equal(sippSent(uas), 302);
  assert.equal(sippSent(`${uac}\n${uas}`), 302, 'the last screen printed counts');
  assert.equal(sippSent('no screen'), 0);
});

test('the achieved rate is the one sipp had when it started its last call', () => {
  const csv = 'StartTime;ElapsedTime(C);CallRate(C);TotalCallCreated\nx;00:00:09;2994.36;27096\nx;00:00:10;2983.59;30000\nx;00:00:40;750.1;30000\n';
  assert.equal(sippRate(csv, 30000), 2983.59);
  assert.equal(sippRate(csv, 40000), 0, 'never got there');
});
