import { PDQ_MATCH_DISTANCE, PDQ_QUALITY_FLOOR } from '../pdq/pdq.constants';

/*
 * Matching defaults, from ThreatExchange python-threatexchange
 * (threatexchange/extensions/vpdq/vpdq_util.py, used by VPDQSignal.compare_hash
 * and VPDQIndex, and so by HMA): quality >= 50, distance <= 31, query match
 * >= 80 %, compared (index/target) match >= 0 %. The C++ reference's
 * match-hashes-brute takes both tolerances on the command line and decides
 * nothing; see vpdq-matcher.ts for where the two differ.
 */

/** A frame hash takes part in matching when its quality is at least this. */
export const VPDQ_QUALITY_THRESHOLD = PDQ_QUALITY_FLOOR;

/** Frame distance threshold; the product compares `<=` (see VpdqDistanceComparison). */
export const VPDQ_DISTANCE_THRESHOLD = PDQ_MATCH_DISTANCE;

/** Share of the query's frame hashes (percent) that must find a match in the compared video. */
export const VPDQ_QUERY_MATCH_THRESHOLD_PERCENT = 80;

/** Share of the compared video's frame hashes (percent) that must find a match in the query: 0, i.e. any. */
export const VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT = 0;

/** Decimals of the timestamp in the reference's text format (`%.3f`). */
export const VPDQ_TIMESTAMP_DECIMALS = 3;
