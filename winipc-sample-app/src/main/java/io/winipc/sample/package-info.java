/**
 * The sample application: every winipc feature in one Spring Boot application, using the public API only.
 */
@NullMarked
package io.winipc.sample;

import org.jspecify.annotations.NullMarked;
