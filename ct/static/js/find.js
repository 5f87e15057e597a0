// ct — find anything: the header search box and Ctrl/Cmd+K.
"use strict";
