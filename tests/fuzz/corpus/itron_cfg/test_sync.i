# 0 "test_sync.cfg"
# 1 "test_sync.cfg"
# 1 "test_sync.h" 1
# 3 "test_sync.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_sync.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_sync.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_sync.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_sync.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 10, 4096U, 
# 6 "test_sync.cfg" 3 4
                                                             ((void *)0) 
# 6 "test_sync.cfg"
                                                                  });
CRE_TSK(TASK4, { 0U, 4, task4, 10, 4096U, 
# 7 "test_sync.cfg" 3 4
                                                             ((void *)0) 
# 7 "test_sync.cfg"
                                                                  });
