/**
 * Implementation of the Hibernate integration (service contributor, connection provider, integrator,
 * mapping reader). Not API.
 */
@NullMarked
package io.rowseal.hibernate.internal;

import org.jspecify.annotations.NullMarked;
