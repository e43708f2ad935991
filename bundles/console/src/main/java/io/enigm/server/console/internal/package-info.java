/** Web Console login (private implementation; nothing of this bundle is exported). */
package io.enigm.server.console.internal;
