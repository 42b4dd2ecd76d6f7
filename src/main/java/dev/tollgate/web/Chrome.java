package dev.tollgate.web;

import java.util.List;

/**
 * What every page's frame shows: who is signed in, the sections their roles may use, the inbox
 * badge, and the CSRF token for the forms (the logout button included).
 */
public record Chrome(String title, String section, String user, List<String> roles, boolean decides,
                     boolean audits, boolean administers, String inboxBadge, String csrf) {
}
