// Command etcd is the etcd 3.6 server: go.etcd.io/etcd/server/v3's etcdmain,
// which upstream's root module (go.etcd.io/etcd/v3, not served at v3.6.4) wraps the same way.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
