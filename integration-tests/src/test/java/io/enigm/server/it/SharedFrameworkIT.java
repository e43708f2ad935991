package io.enigm.server.it;

import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * The Pax Exam classes that need no framework of their own, run in one Felix start (their reactor
 * strategy is PerSuite): none of them configures a component, sets or locks the installation's
 * PIN, or fills the database file, and each reads only what it wrote itself, so they cannot
 * disturb one another. A class that does any of that keeps PerClass and its own framework; so does
 * AuthorizationMatrixIT, which expects exactly one audit record per request and would count the
 * refusals of an earlier class that the audit log records after a delay.
 * Failsafe runs these classes only through this suite (the pom excludes them from the plain
 * scan); each still runs alone with {@code -Dit.test=Name}.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({CoreFeatureIT.class, JoinHardeningIT.class, PolicyRoutesIT.class, SessionFlowIT.class})
public class SharedFrameworkIT {
}
