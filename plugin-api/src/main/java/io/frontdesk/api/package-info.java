/**
 * The Frontdesk plugin API: everything a plugin jar compiles against.
 *
 * <ul>
 *   <li>{@link io.frontdesk.api.filter} — filters around each exchange (request, response, body
 *       transform, completion), made by a {@link io.frontdesk.api.filter.FilterFactory};
 *   <li>{@link io.frontdesk.api.lb} — load-balancing algorithms;
 *   <li>{@link io.frontdesk.api.log} — access-log records and log sinks;
 *   <li>{@link io.frontdesk.api.exchange} and {@link io.frontdesk.api.http} — the exchange a filter
 *       sees;
 *   <li>{@link io.frontdesk.api.admin} — a plugin's own admin endpoints and metrics;
 *   <li>{@link io.frontdesk.api.PluginMessages} — messages between a plugin's instances on every node.
 * </ul>
 *
 * A plugin is a PF4J jar: manifest entries {@code Plugin-Id}, {@code Plugin-Version}, {@code
 * Plugin-Requires} (the API versions it supports, e.g. {@code ^1.0.0}), and classes annotated
 * {@code @org.pf4j.Extension} implementing the factories.
 */
package io.frontdesk.api;
